#pragma once

#include <map>
#include <string>
#include <vector>

#include "assets.hpp"
#include "config.hpp"
#include "issues.hpp"
#include "portico/sdk/context.hpp"
#include "portico/sdk/site_model.hpp"

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

/// Everything the site renders to, before it becomes resources. Deterministic for given files.
struct BuiltSite {
    std::vector<BuiltPage> pages;                ///< routed pages, by key then locale
    std::map<std::string, BuiltPage> not_found;  ///< locale -> its 404 page (from 404.md)
    std::string selector_html;                   ///< "/", the language selector (x-default)
    std::string neutral_not_found_html;          ///< 404 outside the locale prefixes
    std::map<std::string, Asset> assets;         ///< by path within the asset folder
    std::vector<std::string> skipped_assets;     ///< symlinks leaving the asset folder
    std::vector<sdk::PageEntry> entries;         ///< for the site model; lastmod still empty
};

/// Reads content, locales, templates and assets and renders every page. Every content error
/// (front matter, missing string, dead link, missing image or template) goes to `issues`.
BuiltSite buildSite(const PagesConfig& config, const sdk::SiteInfo& site, Issues& issues);

}  // namespace portico::plugins::pages
