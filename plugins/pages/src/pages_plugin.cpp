#include "pages_plugin.hpp"

#include <chrono>
#include <ctime>

#include "lastmod.hpp"
#include "portico/sdk/messages.hpp"
#include "portico/sdk/redirect.hpp"
#include "portico/sdk/resource.hpp"

namespace portico::plugins::pages {
namespace {

constexpr const char* kImmutable = "public, max-age=31536000, immutable";

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string trimmed(const std::string& s) {
    auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

std::string today(const sdk::Clock& clock) {
    std::time_t t = std::chrono::system_clock::to_time_t(clock.now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

}  // namespace

bool unsafePath(const std::string& path) {
    if (path.find('\0') != std::string::npos) return true;
    std::size_t pos = 0;
    while (pos <= path.size()) {
        auto end = path.find('/', pos);
        if (end == std::string::npos) end = path.size();
        std::string seg = path.substr(pos, end - pos);
        if (seg == "." || seg == "..") return true;
        pos = end + 1;
    }
    return false;
}

std::string preferredLocale(const std::string& cookie_header, const std::string& cookie_name,
                            const std::string& accept_language,
                            const std::vector<std::string>& locales) {
    std::size_t pos = 0;
    while (pos < cookie_header.size()) {
        auto end = cookie_header.find(';', pos);
        if (end == std::string::npos) end = cookie_header.size();
        std::string item = trimmed(cookie_header.substr(pos, end - pos));
        pos = end + 1;
        auto eq = item.find('=');
        if (eq == std::string::npos || item.substr(0, eq) != cookie_name) continue;
        std::string value = lower(item.substr(eq + 1));
        for (const auto& l : locales) {
            if (value == lower(l)) return l;
        }
    }
    return sdk::acceptLanguageMatch(accept_language, locales);
}

void PagesPlugin::configure(sdk::Context& ctx) {
    config_ = readConfig(ctx.config());
    locales_ = ctx.site().locales;
    sdk::RouteSpec all;
    all.path = "/";
    all.prefix = true;
    all.blocking = false;  // prebuilt resources and redirects from memory
    ctx.hooks().addRoute(all,
                         [this](const sdk::Request& req, sdk::Response& res) { serve(req, res); });
    if (config_.language_redirect) {
        ctx.hooks().addHeaderHook([](const sdk::Request& req, sdk::Response& res) {
            if (req.path != "/") return;
            auto vary = res.headers.get("Vary");
            res.headers.set("Vary", (vary ? *vary + ", " : "") + "Accept-Language, Cookie");
        });
    }
}

void PagesPlugin::validate(sdk::Context& ctx) {
    Issues issues;
    const nlohmann::json facts = ctx.siteModel().facts();
    built_ = std::make_unique<BuiltSite>(buildSite(config_, ctx.site(), facts, issues));
    if (issues.empty()) return;
    sdk::ConfigErrors errors;
    for (const auto& issue : issues) errors.addInFile(issue.file, issue.line, issue.message);
    built_.reset();
    errors.throwIfAny();
}

void PagesPlugin::start(sdk::Context& ctx) {
    if (!built_) validate(ctx);
    const BuiltSite& site = *built_;
    auto log = ctx.logger();
    for (const auto& path : site.skipped_assets) {
        log->warn("{}: symlink leads outside the asset folder; not served", path);
    }
    LastmodStore store(ctx.site().data_dir + "/pages/lastmod.json");
    const std::string day = today(ctx.clock());
    std::map<std::string, std::string> lastmod;  // key -> newest date over its versions
    // Specs first, then every resource built at once on every core: compressing them is most
    // of the host's start-up.
    std::vector<sdk::ResourceSpec> specs;
    std::vector<std::shared_ptr<const sdk::Resource>*> targets;
    auto add = [&](sdk::ResourceSpec spec, std::shared_ptr<const sdk::Resource>& target) {
        specs.push_back(std::move(spec));
        targets.push_back(&target);
    };
    auto html = [&](const std::string& body, const std::string& path, const std::string& locale,
                    const std::string& date, std::shared_ptr<const sdk::Resource>& target) {
        sdk::ResourceSpec spec;
        spec.body = body;
        spec.content_type = "text/html; charset=utf-8";
        spec.cache_control = "no-cache";
        if (!date.empty()) spec.last_modified = sdk::httpDate(epochOfDate(date));
        spec.info = {path, locale};
        add(std::move(spec), target);
    };
    for (const auto& page : site.pages) {
        std::string date = !page.date.empty()
                               ? page.date
                               : store.dateFor(page.locale + ":" + page.key, page.hash, day);
        if (lastmod[page.key] < date) lastmod[page.key] = date;
        html(page.html, page.url, page.locale, date, resources_[page.url]);
    }
    for (const auto& [locale, page] : site.not_found) {
        html(page.html, "", locale, "", not_found_[locale]);
    }
    std::vector<std::string> asset_urls;
    for (const auto& feed : site.feeds) {
        sdk::ResourceSpec spec;
        spec.body = feed.body;
        spec.content_type = "application/atom+xml; charset=utf-8";
        spec.cache_control = "no-cache";
        spec.info = {feed.url, feed.locale};
        add(std::move(spec), resources_[feed.url]);
        asset_urls.push_back(feed.url);  // `portico export` writes it too
    }
    html(site.selector_html, "/", "", "", selector_);
    html(site.neutral_not_found_html, "", "", "", neutral_not_found_);
    for (const auto& [rel, asset] : site.assets) {
        sdk::ResourceSpec spec;
        spec.body = asset.body;
        spec.content_type = asset.content_type;
        spec.cache_control = kImmutable;
        spec.info.path = asset.url;
        add(std::move(spec), resources_[asset.url]);
        asset_urls.push_back(asset.url);
    }
    for (const auto& [rel, set] : site.images) {
        auto variant = [&](const ImageVariant& v) {
            sdk::ResourceSpec spec;
            spec.body = v.body;
            spec.content_type = formatContentType(v.format);
            spec.cache_control = kImmutable;
            spec.info.path = v.url;
            add(std::move(spec), resources_[v.url]);
            asset_urls.push_back(v.url);
        };
        for (const auto& v : set.variants) variant(v);
        variant(set.og);
    }
    auto built = sdk::buildResources(ctx, std::move(specs));
    for (std::size_t i = 0; i < built.size(); ++i) *targets[i] = std::move(built[i]);
    if (auto why = store.save(); !why.empty()) log->warn("lastmod store: {}", why);
    std::vector<sdk::PageEntry> entries = site.entries;
    for (auto& e : entries) e.lastmod = lastmod[e.key];
    ctx.siteModel().publish(std::move(entries));
    ctx.siteModel().publishAssets(std::move(asset_urls));
    if (site.kit) {
        ctx.siteModel().publishRenderer(
            [kit = site.kit](const std::string& path, const nlohmann::json& data) {
                return kit->render(path, data);
            });
    }
    log->info("built {} pages in {} locales and {} assets from {}", site.pages.size(),
              locales_.size(), site.assets.size(), config_.root);
    const ImageStats& img = site.image_stats;
    log->info(
        "images: {} sources, {} variants ({} bytes); cache: {} reused, {} built, {} rebuilt "
        "(corrupt file), {} removed (unused); {} sources decoded",
        img.sources, img.variants, img.bytes, img.cache.hits, img.cache.built, img.cache.rebuilt,
        img.pruned, img.decoded);
    if (img.cache.unwritable > 0) {
        log->warn("images: {} variants could not be written to the cache under {}/cache/images",
                  img.cache.unwritable, ctx.site().data_dir);
    }
    built_.reset();
}

bool PagesPlugin::redirectToLanguage(const sdk::Request& req, sdk::Response& res) const {
    std::string locale = preferredLocale(req.headers.getOr("Cookie", ""), config_.language_cookie,
                                         req.headers.getOr("Accept-Language", ""), locales_);
    if (locale.empty()) return false;
    sdk::redirect(res, 302, "/" + locale + "/");
    res.headers.set("Cache-Control", "no-cache");
    return true;
}

std::shared_ptr<const sdk::Resource> PagesPlugin::notFoundFor(const std::string& path) const {
    for (const auto& [locale, resource] : not_found_) {
        if (path == "/" + locale || path.rfind("/" + locale + "/", 0) == 0) return resource;
    }
    return neutral_not_found_;
}

void PagesPlugin::serve(const sdk::Request& req, sdk::Response& res) const {
    const std::string& path = req.path;
    if (unsafePath(path)) throw sdk::HttpError(400, "bad path");
    if (path == "/") {
        if (config_.language_redirect && redirectToLanguage(req, res)) return;
        res.serve(selector_);
        return;
    }
    if (auto it = resources_.find(path); it != resources_.end()) {
        res.serve(it->second);
        return;
    }
    if (sdk::redirectToTrailingSlash(req, res, [this](const std::string& slashed) {
            return resources_.count(slashed) > 0;
        })) {
        return;
    }
    auto page = notFoundFor(path);
    if (!page) throw sdk::HttpError(404, "not found");
    res.serve(page);
    res.status = 404;
}

}  // namespace portico::plugins::pages
