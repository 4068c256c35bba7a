#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "assets.hpp"
#include "config.hpp"
#include "images.hpp"
#include "issues.hpp"
#include "portico/sdk/context.hpp"
#include "portico/sdk/site_model.hpp"
#include "templates.hpp"

namespace portico::plugins::pages {

/// One rendered HTML document.
struct BuiltPage {
    std::string locale;
    std::string key;
    std::string url;   ///< empty for a 404 page
    std::string file;  ///< source file as shown in errors
    std::string hash;  ///< of the source file, for lastmod
    std::string date;  ///< front matter date, may be empty
    std::string html;
};

/// One locale's Atom feed of its notes.
struct BuiltFeed {
    std::string locale;
    std::string url;  ///< e.g. "/de/notizen/feed.xml"
    std::string body;
};

/// What rendering a page again per request needs (sdk::SiteModel::renderPage): its layout and
/// template data as built, the templates and the URL tables of the helpers. Immutable once built.
struct RenderKit {
    struct Page {
        std::string locale;
        std::string layout;
        nlohmann::json data;
    };
    Templates templates;
    std::map<std::string, Page> pages;                               ///< by URL
    std::map<std::string, std::map<std::string, std::string>> urls;  ///< key -> locale -> URL
    std::map<std::string, std::string> assets;                       ///< asset path -> URL

    /// The page at `path` with `extra`'s top-level keys set in its data; nullopt for an unknown
    /// path. A helper naming a missing page or asset yields "" (the build already checked the
    /// templates). Thread-safe.
    std::optional<std::string> render(const std::string& path, const nlohmann::json& extra) const;
};

/// Everything the site renders to, before it becomes resources. Deterministic for given files.
struct BuiltSite {
    std::vector<BuiltPage> pages;                ///< routed pages, by key then locale
    std::map<std::string, BuiltPage> not_found;  ///< locale -> its 404 page (from 404.md)
    std::string selector_html;                   ///< "/", the language selector (x-default)
    std::string neutral_not_found_html;          ///< 404 outside the locale prefixes
    std::map<std::string, Asset> assets;         ///< by path within the asset folder
    std::vector<std::string> skipped_assets;     ///< symlinks leaving the asset folder
    std::vector<sdk::PageEntry> entries;         ///< for the site model; lastmod still empty
    std::shared_ptr<const RenderKit> kit;        ///< for per-request renders of routed pages
    std::map<std::string, ImageSet> images;      ///< by asset path: variants, encoded
    ImageStats image_stats;
    std::vector<BuiltFeed> feeds;  ///< one per locale with a notes section
};

/// Reads content, locales, templates and assets, renders every page and encodes the image
/// variants (cached under <data_dir>/cache/images). Every content error (front matter, missing
/// string, dead link, missing or undecodable image, missing template) goes to `issues`.
/// `facts` (SiteModel::facts(): what the site's plugins do with visitors' data) is every
/// template's `facts`, for the privacy page.
BuiltSite buildSite(const PagesConfig& config, const sdk::SiteInfo& site,
                    const nlohmann::json& facts, Issues& issues);

}  // namespace portico::plugins::pages
