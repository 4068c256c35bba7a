#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace portico::sdk {

/// One page of the site in every locale it exists in: what the sitemap, hreflang links and
/// `portico export` are built from.
struct PageEntry {
    std::string key;                           ///< stable id across locales, e.g. "projects/alpha"
    std::string host;                          ///< virtual host; empty = the main site
    std::map<std::string, std::string> paths;  ///< locale -> URL path, e.g. "de" -> "/de/projekte/"
    std::string lastmod;    ///< W3C date of the last real content change, e.g. "2026-05-01"
    bool indexable = true;  ///< false for noindex pages (left out of sitemaps)
    std::string x_default;  ///< URL path for hreflang x-default; empty = none
};

/// Renders one published page per request in the site's layout, with `data`'s top-level keys
/// added to (or replacing) the page's template data, e.g. {"contact": {...}} for a form. Returns
/// nullopt when `path` is not one of the renderer's pages. Called on any worker thread.
using PageRenderer =
    std::function<std::optional<std::string>(const std::string& path, const nlohmann::json& data)>;

/// The pages of one config generation. Plugins that render pages publish them from `start()`;
/// plugins that list pages (sitemap) declare a dependency on the publisher and read them in
/// their own `start()`. Thread-safe.
class SiteModel {
public:
    virtual ~SiteModel() = default;
    /// Adds pages; call from `start()`.
    virtual void publish(std::vector<PageEntry> pages) = 0;
    /// Every page published so far, in publish order.
    virtual std::vector<PageEntry> pages() const = 0;
    /// Static files (assets) by URL path, also used by `portico export`; call from `start()`.
    virtual void publishAssets(std::vector<std::string> paths) = 0;
    virtual std::vector<std::string> assets() const = 0;
    /// Adds a renderer for pages that other plugins answer per request (the contact form inside
    /// the site's layout); call from `start()`. The function must stay valid for the generation.
    virtual void publishRenderer(PageRenderer renderer) = 0;
    /// The page at `path` rendered by the first renderer that knows it, or nullopt (no such page,
    /// or no renderer: the caller falls back to its own markup). Thread-safe; per request is fine.
    virtual std::optional<std::string> renderPage(const std::string& path,
                                                  const nlohmann::json& data) const = 0;
    /// Publishes what a plugin does with visitors' data, under `name` (by convention the
    /// plugin's id), as a JSON object of settings, e.g. {"retention_days": 400}: the site's
    /// privacy page is rendered from these, so it cannot drift from the config. Call from
    /// `configure()`; every plugin's `validate()` and `start()` see all of them. Publishing
    /// under a name again replaces the earlier object.
    virtual void publishFacts(const std::string& name, nlohmann::json facts) = 0;
    /// Every object published with `publishFacts`, by name ({} when none).
    virtual nlohmann::json facts() const = 0;
};

}  // namespace portico::sdk
