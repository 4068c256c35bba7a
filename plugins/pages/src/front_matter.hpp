#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "issues.hpp"

namespace portico::plugins::pages {

/// What a page's YAML front matter says; see README.md for the keys.
struct PageMeta {
    std::string key;  ///< empty: derived from the file path
    std::string title;
    std::string description;
    std::string slug;  ///< empty: derived from the file name
    bool has_slug = false;
    std::string date;  ///< YYYY-MM-DD or empty
    bool draft = false;
    bool noindex = false;
    std::string layout = "page";
    int weight = 0;
    std::vector<std::string> tags;  ///< as written; a tag's id is its slug
    bool toc = false;               ///< a table of contents (and heading anchors)
    nlohmann::json params = nlohmann::json::object();
};

/// A Markdown file split into its front matter and its body.
struct SourceText {
    PageMeta meta;
    std::string body;
    int body_line = 1;  ///< line of the file where the body starts
};

/// Splits `text` at the `---` fences and reads the front matter. Every problem (YAML syntax,
/// unknown key with a did-you-mean hint, wrong type, bad date or slug, missing title or
/// description) is appended to `issues` with `file` and line. Pure; never throws.
SourceText parseSource(const std::string& text, const std::string& file, Issues& issues);

/// True for a slug of lowercase letters, digits and '-', optionally several segments joined by
/// '/', e.g. "projekte" or "2026/notes".
bool validSlug(const std::string& slug);

/// True for a real calendar date written YYYY-MM-DD.
bool validDate(const std::string& date);

}  // namespace portico::plugins::pages
