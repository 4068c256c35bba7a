#include "sitemap_plugin.hpp"

#include <set>

namespace portico::plugins::sitemap {

const char* const kSchema = R"json({
  "type": "object",
  "properties": {
    "hosts": {
      "type": "array", "default": [{"host": ""}], "minItems": 1,
      "description": "robots.txt policy per host; host \"\" is the main site (every host without its own entry)",
      "items": {
        "type": "object",
        "properties": {
          "host": {"type": "string", "default": "", "description": "host name, or \"\" for the main site"},
          "sitemap": {"type": "boolean", "default": true, "description": "serve this host's sitemap and name it in robots.txt"},
          "rules": {"type": "array", "default": [{}], "description": "robots.txt groups",
                    "items": {"type": "object", "properties": {
                      "user_agent": {"type": "string", "default": "*"},
                      "allow": {"type": "array", "default": [], "items": {"type": "string", "pattern": "^/"}},
                      "disallow": {"type": "array", "default": [], "items": {"type": "string", "pattern": "^/"}}}}}
        }
      }
    },
    "max_urls": {"type": "integer", "default": 50000, "minimum": 1, "maximum": 50000,
                 "description": "URLs per sitemap file before a sitemap index is used"},
    "max_bytes": {"type": "integer", "default": 52428800, "minimum": 1024, "maximum": 52428800,
                  "description": "bytes per sitemap file before a sitemap index is used"}
  }
})json";

void SitemapPlugin::configure(sdk::Context& ctx) {
    policies_ = readPolicies(ctx.config().at("hosts"));
    limits_.max_urls = ctx.config().at("max_urls").get<std::size_t>();
    limits_.max_bytes = ctx.config().at("max_bytes").get<std::size_t>();
    sdk::ConfigErrors errors;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < policies_.size(); ++i) {
        const std::string host = policies_[i].host;
        if (!seen.insert(host).second) {
            errors.add("hosts[" + std::to_string(i) + "].host",
                       "listed twice, got \"" + host + "\"");
            continue;
        }
        auto handler = [this, host](const sdk::Request& req, sdk::Response& res) {
            serve(host, req, res);
        };
        for (const char* path : {"/robots.txt", "/sitemap.xml"}) {
            sdk::RouteSpec spec;
            spec.path = path;
            spec.host = host;
            spec.blocking = false;  // prebuilt
            ctx.hooks().addRoute(spec, handler);
        }
        if (policies_[i].sitemap) {
            sdk::RouteSpec parts;
            parts.path = "/sitemaps/";
            parts.prefix = true;
            parts.host = host;
            parts.blocking = false;
            ctx.hooks().addRoute(parts, handler);
        }
    }
    errors.throwIfAny();
}

void SitemapPlugin::start(sdk::Context& ctx) {
    const auto pages = ctx.siteModel().pages();
    const std::string& base = ctx.site().base_url;
    const std::string scheme = base.substr(0, base.find("://"));
    std::vector<std::string> published;
    for (const auto& policy : policies_) {
        const std::string host_base = policy.host.empty() ? base : scheme + "://" + policy.host;
        std::string sitemap_url;
        std::size_t urls = 0;
        if (policy.sitemap) {
            std::vector<sdk::PageEntry> mine;
            for (const auto& p : pages) {
                if (p.host == policy.host) mine.push_back(p);
            }
            for (const auto& p : mine) urls += p.indexable ? p.paths.size() : 0;
            for (auto& [path, xml] : buildSitemap(mine, host_base, limits_).files) {
                sdk::ResourceSpec spec;
                spec.body = std::move(xml);
                spec.content_type = "application/xml; charset=utf-8";
                resources_[policy.host + "\n" + path] = ctx.buildResource(std::move(spec));
                if (policy.host.empty()) published.push_back(path);
            }
            sitemap_url = host_base + "/sitemap.xml";
        }
        sdk::ResourceSpec robots;
        robots.body = robotsTxt(policy, sitemap_url);
        robots.content_type = "text/plain; charset=utf-8";
        resources_[policy.host + "\n/robots.txt"] = ctx.buildResource(std::move(robots));
        if (policy.host.empty()) published.push_back("/robots.txt");
        ctx.logger()->info("{}: sitemap with {} urls{}",
                           policy.host.empty() ? "main site" : policy.host, urls,
                           policy.sitemap ? "" : " (not served)");
    }
    ctx.siteModel().publishAssets(std::move(published));
}

void SitemapPlugin::serve(const std::string& host, const sdk::Request& req,
                          sdk::Response& res) const {
    auto it = resources_.find(host + "\n" + req.path);
    if (it == resources_.end()) throw sdk::HttpError(404, "not found");
    res.serve(it->second);
}

}  // namespace portico::plugins::sitemap
