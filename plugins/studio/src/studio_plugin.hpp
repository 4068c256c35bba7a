#pragma once

#include <map>
#include <memory>
#include <string>
#include <unordered_map>

#include "config.hpp"
#include "portico/sdk/plugin.hpp"
#include "site.hpp"

namespace portico::plugins::studio {

/// Serves the studio subdomain as its own small bilingual site: host-specific routes for
/// `host` (so the main site never sees its requests), pages, assets, robots.txt and 404 pages
/// rendered once in start() and served from memory.
class StudioPlugin final : public sdk::Plugin {
public:
    void configure(sdk::Context& ctx) override;
    void validate(sdk::Context& ctx) override;
    void start(sdk::Context& ctx) override;

private:
    void serve(const sdk::Request& req, sdk::Response& res) const;
    SiteInput siteInput(const sdk::Context& ctx) const;

    StudioConfig config_;
    std::string root_;                   // resolved site folder
    std::unique_ptr<StudioSite> built_;  // from validate() until start() made resources of it
    std::unordered_map<std::string, std::shared_ptr<const sdk::Resource>> resources_;  // by path
    std::unordered_map<std::string, std::string> page_locale_;                         // by path
    std::map<std::string, std::shared_ptr<const sdk::Resource>> not_found_;            // by locale
};

/// The studio site's absolute URL: the scheme and port of `base_url` with `host`, e.g.
/// ("http://localhost:8080", "studio.localhost") -> "http://studio.localhost:8080".
std::string studioUrl(const std::string& base_url, const std::string& host);

}  // namespace portico::plugins::studio
