#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "front_matter.hpp"
#include "issues.hpp"

namespace portico::plugins::pages {

/// One Markdown file of one locale, with its URL worked out.
struct SourcePage {
    std::string locale;
    std::string rel;   ///< path within the locale folder, e.g. "projects/alpha.md"
    std::string file;  ///< as shown in errors, e.g. "www/content/en/projects/alpha.md"
    std::string hash;  ///< of the file's bytes, for lastmod
    SourceText source;
    std::string key;         ///< front matter `key`, else derived from `rel`
    std::string url;         ///< e.g. "/de/projekte/alpha/"; empty for the 404 page
    bool not_found = false;  ///< rel == "404.md": the locale's 404 body
    std::string tag;         ///< a generated tag page: the tag's id
    int list_page = 0;       ///< a generated page 2, 3, ... of a paginated list
};

/// The page key for a file path within a locale folder: "index.md" -> "index",
/// "projects/index.md" -> "projects", "projects/alpha.md" -> "projects/alpha".
std::string keyForPath(const std::string& rel);

/// Joins a link written in a page in `folder` ("../about.md", or "/about.md" from the locale
/// root) into a path within the locale folder; nullopt when it climbs out of it.
std::optional<std::string> joinRel(const std::string& folder, const std::string& rel);

/// The folder part of a path within a locale folder ("projects/alpha.md" -> "projects").
std::string folderOf(const std::string& rel);

/// Works out every page's URL: "/<locale>/" + the slug of each parent folder (its index.md's
/// `slug`, else the folder name) + the page's slug (else the file name) + "/". Reports
/// duplicate URLs and keys within a locale. Pure.
void assignUrls(std::vector<SourcePage>& pages, Issues& issues);

/// Reads `<content_dir>/<locale>/**.md` for every locale; `shown` is how the folder appears in
/// errors. Folders for locales the site does not have are errors.
std::vector<SourcePage> loadContent(const std::string& content_dir, const std::string& shown,
                                    const std::vector<std::string>& locales, Issues& issues);

}  // namespace portico::plugins::pages
