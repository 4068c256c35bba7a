#pragma once

#include <functional>
#include <optional>
#include <string>

#include "issues.hpp"

namespace portico::plugins::pages {

/// How links and images in a page's Markdown are resolved.
struct LinkResolver {
    /// A link target as written (not external, not a fragment) -> the URL to use, or nullopt
    /// when it points nowhere (a content error).
    std::function<std::optional<std::string>(const std::string& href)> link;
    /// An image source as written plus its alt text -> the complete <img> tag, or nullopt with
    /// `why` set (a content error).
    std::function<std::optional<std::string>(const std::string& src, const std::string& alt,
                                             std::string& why)>
        image;
};

/// True for hrefs left alone: "scheme:..." (https:, mailto:, tel:), "//host" and "#fragment".
bool isExternal(const std::string& href);

/// Renders CommonMark to HTML with cmark (raw HTML allowed: content is the owner's own), after
/// rewriting every link and image through `resolver`. Problems go to `issues` with `file` and
/// the line (`first_line` is the line of the file where `markdown` starts).
std::string renderMarkdown(const std::string& markdown, int first_line, const std::string& file,
                           const LinkResolver& resolver, Issues& issues);

}  // namespace portico::plugins::pages
