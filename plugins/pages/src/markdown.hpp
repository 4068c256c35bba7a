#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

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

/// What else a page's Markdown gets besides link and image resolution.
struct MarkdownOptions {
    /// Headings h2-h6 get an id (the slug of their text, made unique in the page) and a visible
    /// anchor link to themselves whose accessible name is `anchor_label` + ": " + the heading.
    bool anchors = false;
    std::string anchor_label = "Link to this section";
    /// A fenced code block's language (the info string's first word) and code -> the highlighted
    /// inside of its <code>, or nullopt for plain escaped code. Unset: every block is plain.
    std::function<std::optional<std::string>(const std::string& language, const std::string& code)>
        highlight;
};

/// One heading of a rendered page, for a table of contents (ids only with `anchors`).
struct Heading {
    int level = 2;
    std::string id;
    std::string text;
};

/// A page's rendered Markdown.
struct RenderedMarkdown {
    std::string html;
    std::vector<Heading> headings;  ///< h2-h6 in document order, when `anchors` is on
};

/// True for hrefs left alone: "scheme:..." (https:, mailto:, tel:), "//host" and "#fragment".
bool isExternal(const std::string& href);

/// Renders CommonMark to HTML with cmark (raw HTML allowed: content is the owner's own), after
/// rewriting every link and image through `resolver`. Problems go to `issues` with `file` and
/// the line (`first_line` is the line of the file where `markdown` starts).
std::string renderMarkdown(const std::string& markdown, int first_line, const std::string& file,
                           const LinkResolver& resolver, Issues& issues);

/// renderMarkdown with `options`: code blocks become `<pre class="code" tabindex="0"><code>`
/// (focusable, as a block that scrolls sideways must be), highlighted where `options.highlight`
/// knows the language and HTML-escaped otherwise; headings get ids and anchors when asked.
RenderedMarkdown renderDocument(const std::string& markdown, int first_line,
                                const std::string& file, const LinkResolver& resolver,
                                const MarkdownOptions& options, Issues& issues);

}  // namespace portico::plugins::pages
