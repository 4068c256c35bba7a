#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "portico/sdk/plugin.hpp"
#include "robots.hpp"
#include "sitemap.hpp"

namespace portico::plugins::sitemap {

/// JSON schema of the `sitemap` config block.
extern const char* const kSchema;

/// Serves /sitemap.xml (and /sitemaps/N.xml parts) from the site model and /robots.txt per
/// host, each prebuilt in start().
class SitemapPlugin final : public sdk::Plugin {
public:
    void configure(sdk::Context& ctx) override;
    void start(sdk::Context& ctx) override;

private:
    void serve(const std::string& host, const sdk::Request& req, sdk::Response& res) const;

    std::vector<HostPolicy> policies_;
    Limits limits_;
    std::map<std::string, std::shared_ptr<const sdk::Resource>> resources_;  // host + '\n' + path
};

}  // namespace portico::plugins::sitemap
