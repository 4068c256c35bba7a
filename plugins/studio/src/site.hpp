#pragma once

#include <map>
#include <string>
#include <vector>

namespace portico::plugins::studio {

/// One problem found while building the studio site: in a site file (`file`, as the user knows
/// it) or in the config block (`path`, relative to it).
struct SiteIssue {
    std::string file;
    std::string path;
    std::string message;
};

/// What the studio site is built from. Pure data; no SDK context.
struct SiteInput {
    std::string root;                  ///< folder with templates/, assets/, locales/
    std::vector<std::string> locales;  ///< the first is the default
    std::map<std::string, std::map<std::string, std::string>> overrides;  ///< locale -> key -> text
    bool noindex = true;
    std::string studio_url;  ///< absolute URL of the studio site, no trailing slash
    std::string main_url;    ///< absolute URL of the main site, no trailing slash
};

/// A rendered page: `/` (the language selector) or `/<locale>/`.
struct Page {
    std::string path;
    std::string locale;  ///< empty for the selector
    std::string html;
};

/// A static file served under a fingerprinted URL, e.g. /assets/studio.3f2a9c01de.css.
struct Asset {
    std::string name;  ///< file name in <root>/assets
    std::string url;
    std::string content_type;
    std::string body;
};

/// The whole studio site, rendered once per config generation.
struct StudioSite {
    std::vector<Page> pages;
    std::map<std::string, std::string> not_found;  ///< locale -> 404 page
    std::vector<Asset> assets;
    std::string robots_txt;
    std::vector<std::string> skipped_assets;  ///< symlinks leaving the asset folder, not served
};

/// Reads the templates, strings and assets below `in.root` and renders every page. Problems
/// (missing files, template syntax, strings missing in a locale, unknown overrides) are added
/// to `issues`; the result is only usable when none were added.
StudioSite buildSite(const SiteInput& in, std::vector<SiteIssue>& issues);

/// robots.txt for the studio host: everything disallowed when `noindex`, else everything allowed.
std::string robotsTxt(bool noindex);

}  // namespace portico::plugins::studio
