#include "studio_plugin.hpp"

#include <algorithm>
#include <filesystem>

#include "locate.hpp"
#include "portico/sdk/redirect.hpp"
#include "portico/sdk/resource.hpp"

namespace portico::plugins::studio {
namespace {

constexpr const char* kImmutable = "public, max-age=31536000, immutable";

}  // namespace

std::string studioUrl(const std::string& base_url, const std::string& host) {
    const auto scheme_end = base_url.find("://");
    const std::string scheme =
        scheme_end == std::string::npos ? "http" : base_url.substr(0, scheme_end);
    const std::size_t start = scheme_end == std::string::npos ? 0 : scheme_end + 3;
    const std::string authority = base_url.substr(start, base_url.find('/', start) - start);
    const auto bracket = authority.rfind(']');
    const auto colon = authority.rfind(':');
    std::string port;
    if (colon != std::string::npos && (bracket == std::string::npos || colon > bracket)) {
        port = authority.substr(colon);
    }
    return scheme + "://" + host + port;
}

void StudioPlugin::configure(sdk::Context& ctx) {
    sdk::ConfigErrors errors;
    config_ = readConfig(ctx.config(), ctx.site().locales, errors);
    for (const auto& name : ctx.site().hosts) {
        std::string lower = name;
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (lower == config_.host) {
            errors.add("host", "\"" + config_.host +
                                   "\" is also in site.hosts; the studio needs a host of its own");
        }
    }
    errors.throwIfAny();

    auto handler = [this](const sdk::Request& req, sdk::Response& res) { serve(req, res); };
    // Its own robots.txt by exact path, so a sitemap policy for the same host is a start-up
    // conflict instead of a silent shadow; everything else below "/" on the host is the studio's.
    sdk::RouteSpec robots;
    robots.path = "/robots.txt";
    robots.host = config_.host;
    robots.blocking = false;  // everything is prebuilt in start()
    ctx.hooks().addRoute(robots, handler);
    sdk::RouteSpec all;
    all.path = "/";
    all.prefix = true;
    all.host = config_.host;
    all.blocking = false;
    ctx.hooks().addRoute(all, handler);
    if (config_.noindex) {
        ctx.hooks().addHeaderHook(
            [host = config_.host](const sdk::Request& req, sdk::Response& res) {
                if (req.host == host) res.headers.set("X-Robots-Tag", "noindex");
            });
    }
}

SiteInput StudioPlugin::siteInput(const sdk::Context& ctx) const {
    SiteInput in;
    in.root = root_;
    in.locales = config_.locales;
    in.overrides = config_.strings;
    in.noindex = config_.noindex;
    in.studio_url = studioUrl(ctx.site().base_url, config_.host);
    in.main_url = ctx.site().base_url;
    return in;
}

void StudioPlugin::validate(sdk::Context& ctx) {
    sdk::ConfigErrors errors;
    if (config_.root.empty()) {
        std::string why;
        root_ = installedRoot(why);
        if (root_.empty()) {
            errors.add("root", "not set, and " + why + "; set it to the studio site folder");
        }
    } else {
        std::error_code ec;
        root_ = std::filesystem::absolute(config_.root, ec).string();
        if (!std::filesystem::is_directory(root_, ec)) {
            errors.add("root", "not a folder, got \"" + config_.root + "\"");
        }
    }
    errors.throwIfAny();
    std::vector<SiteIssue> issues;
    built_ = std::make_unique<StudioSite>(buildSite(siteInput(ctx), issues));
    for (const auto& issue : issues) {
        if (issue.path.empty()) {
            errors.addInFile(issue.file, 0, issue.message);
        } else {
            errors.add(issue.path, issue.message);
        }
    }
    if (!errors.empty()) built_.reset();
    errors.throwIfAny();
}

void StudioPlugin::start(sdk::Context& ctx) {
    if (!built_) validate(ctx);
    const StudioSite& site = *built_;
    for (const auto& path : site.skipped_assets) {
        ctx.logger()->warn("{}: symlink leads outside the asset folder; not served", path);
    }
    // Specs first, then every resource built at once on every core (compression dominates).
    std::vector<sdk::ResourceSpec> specs;
    std::vector<std::shared_ptr<const sdk::Resource>*> targets;
    auto build = [&](std::string body, std::string type, const std::string& path,
                     const std::string& locale, std::string cache,
                     std::shared_ptr<const sdk::Resource>& target) {
        sdk::ResourceSpec spec;
        spec.body = std::move(body);
        spec.content_type = std::move(type);
        spec.cache_control = std::move(cache);
        spec.info = {path, locale};
        specs.push_back(std::move(spec));
        targets.push_back(&target);
    };
    const std::string html = "text/html; charset=utf-8";
    sdk::PageEntry entry;
    entry.key = "studio";
    entry.host = config_.host;
    entry.indexable = !config_.noindex;
    entry.x_default = "/";
    for (const auto& page : site.pages) {
        build(page.html, html, page.path, page.locale, "", resources_[page.path]);
        if (page.locale.empty()) continue;
        page_locale_[page.path] = page.locale;
        entry.paths[page.locale] = page.path;
    }
    for (const auto& [locale, page] : site.not_found) {
        build(page, html, "", locale, "", not_found_[locale]);
    }
    for (const auto& asset : site.assets) {
        build(asset.body, asset.content_type, asset.url, "", kImmutable, resources_[asset.url]);
    }
    build(site.robots_txt, "text/plain; charset=utf-8", "/robots.txt", "", "",
          resources_["/robots.txt"]);
    auto built = sdk::buildResources(ctx, std::move(specs));
    for (std::size_t i = 0; i < built.size(); ++i) *targets[i] = std::move(built[i]);
    ctx.siteModel().publish({entry});
    ctx.logger()->info("studio site on {}: {} pages in {} locales and {} assets from {}{}",
                       config_.host, site.pages.size(), config_.locales.size(), site.assets.size(),
                       root_, config_.noindex ? " (noindex)" : "");
    built_.reset();
}

void StudioPlugin::serve(const sdk::Request& req, sdk::Response& res) const {
    const std::string& path = req.path;
    if (auto it = resources_.find(path); it != resources_.end()) {
        if (auto locale = page_locale_.find(path); locale != page_locale_.end()) {
            res.headers.set("Content-Language", locale->second);
        }
        res.serve(it->second);
        return;
    }
    if (sdk::redirectToTrailingSlash(req, res, [this](const std::string& slashed) {
            return page_locale_.count(slashed) > 0;
        })) {
        return;
    }
    std::string locale = config_.locales.front();
    for (const auto& l : config_.locales) {
        if (path.rfind("/" + l + "/", 0) == 0) locale = l;
    }
    res.serve(not_found_.at(locale));
    res.status = 404;
}

}  // namespace portico::plugins::studio
