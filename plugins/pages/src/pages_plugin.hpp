#pragma once

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "config.hpp"
#include "portico/sdk/plugin.hpp"
#include "site.hpp"

namespace portico::plugins::pages {

/// Renders the bilingual site (Markdown content, mustache templates, locale strings, assets)
/// once per config generation and serves it from memory; publishes it to the site model.
class PagesPlugin final : public sdk::Plugin {
public:
    void configure(sdk::Context& ctx) override;
    void validate(sdk::Context& ctx) override;
    void start(sdk::Context& ctx) override;

private:
    void serve(const sdk::Request& req, sdk::Response& res) const;
    bool redirectToLanguage(const sdk::Request& req, sdk::Response& res) const;
    std::shared_ptr<const sdk::Resource> notFoundFor(const std::string& path) const;

    PagesConfig config_;
    std::vector<std::string> locales_;
    std::unique_ptr<BuiltSite> built_;  // from validate() until start() turned it into resources
    std::unordered_map<std::string, std::shared_ptr<const sdk::Resource>> resources_;  // by path
    std::map<std::string, std::shared_ptr<const sdk::Resource>> not_found_;            // by locale
    std::shared_ptr<const sdk::Resource> selector_;
    std::shared_ptr<const sdk::Resource> neutral_not_found_;
};

/// The locale a visitor prefers: the cookie's value when it is a site locale, else the best
/// `Accept-Language` match (by q, then order; "de-AT" matches "de"), else "". Pure.
std::string preferredLocale(const std::string& cookie_header, const std::string& cookie_name,
                            const std::string& accept_language,
                            const std::vector<std::string>& locales);

/// True when `path` has a NUL byte or a "." or ".." segment.
bool unsafePath(const std::string& path);

}  // namespace portico::plugins::pages
