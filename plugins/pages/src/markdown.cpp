#include "markdown.hpp"

#include <cmark.h>

#include <cctype>
#include <cstdlib>
#include <memory>
#include <set>
#include <vector>

#include "portico/sdk/http.hpp"
#include "text.hpp"

namespace portico::plugins::pages {
namespace {

int lineOf(cmark_node* node) {
    for (; node; node = cmark_node_parent(node)) {
        if (int line = cmark_node_get_start_line(node); line > 0) return line;
    }
    return 1;
}

std::string plainText(cmark_node* node) {
    std::string out;
    cmark_iter* iter = cmark_iter_new(node);
    for (auto ev = cmark_iter_next(iter); ev != CMARK_EVENT_DONE; ev = cmark_iter_next(iter)) {
        cmark_node* n = cmark_iter_get_node(iter);
        if (ev != CMARK_EVENT_ENTER) continue;
        auto type = cmark_node_get_type(n);
        if (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE) {
            if (const char* text = cmark_node_get_literal(n)) out += text;
        } else if (type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK) {
            out += ' ';
        }
    }
    cmark_iter_free(iter);
    return out;
}

std::string renderNode(cmark_node* node) {
    char* rendered = cmark_render_html(node, CMARK_OPT_UNSAFE);
    std::string out = rendered ? rendered : "";
    std::free(rendered);
    return out;
}

void replaceWithHtml(cmark_node* node, const std::string& html) {
    cmark_node* block = cmark_node_new(CMARK_NODE_HTML_BLOCK);
    cmark_node_set_literal(block, html.c_str());
    cmark_node_replace(node, block);
    cmark_node_free(node);
}

// The language of a fence's info string: its first word, when it is a plain name.
std::string fenceLanguage(const char* info) {
    std::string word;
    for (const char* c = info ? info : ""; *c && *c != ' ' && *c != '\t'; ++c) word += *c;
    for (char c : word) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '_')
            return "";
    }
    return word;
}

void renderCode(cmark_node* block, const MarkdownOptions& options) {
    const char* literal = cmark_node_get_literal(block);
    std::string code = literal ? literal : "";
    std::string language = fenceLanguage(cmark_node_get_fence_info(block));
    std::optional<std::string> inner;
    if (!language.empty() && options.highlight) inner = options.highlight(language, code);
    std::string html = "<pre class=\"code\" tabindex=\"0\"><code";
    if (inner) html += " class=\"language-" + sdk::escapeHtml(language) + "\"";
    html += ">" + (inner ? *inner : sdk::escapeHtml(code)) + "</code></pre>\n";
    replaceWithHtml(block, html);
}

Heading renderHeading(cmark_node* node, const MarkdownOptions& options,
                      std::set<std::string>& used) {
    Heading h;
    h.level = cmark_node_get_heading_level(node);
    h.text = plainText(node);
    std::string base = slugify(h.text);
    if (base.empty()) base = "section";
    h.id = base;
    for (int n = 2; !used.insert(h.id).second; ++n) h.id = base + "-" + std::to_string(n);
    // "<h2>inner</h2>\n" as cmark renders it, with the id and the anchor added.
    std::string html = renderNode(node);
    const std::string tag = "h" + std::to_string(h.level);
    auto open = html.find('>');
    auto close = html.rfind("</" + tag + ">");
    if (open == std::string::npos || close == std::string::npos || close < open) return h;
    std::string inner = html.substr(open + 1, close - open - 1);
    replaceWithHtml(
        node, "<" + tag + " id=\"" + h.id + "\">" + inner + " <a class=\"anchor\" href=\"#" + h.id +
                  "\"><span aria-hidden=\"true\">#</span><span class=\"visually-hidden\">" +
                  sdk::escapeHtml(options.anchor_label + ": " + h.text) + "</span></a></" + tag +
                  ">\n");
    return h;
}

}  // namespace

bool isExternal(const std::string& href) {
    if (href.empty() || href[0] == '#' || href.rfind("//", 0) == 0) return true;
    auto colon = href.find(':');
    auto slash = href.find('/');
    return colon != std::string::npos && (slash == std::string::npos || colon < slash);
}

std::string renderMarkdown(const std::string& markdown, int first_line, const std::string& file,
                           const LinkResolver& resolver, Issues& issues) {
    return renderDocument(markdown, first_line, file, resolver, MarkdownOptions{}, issues).html;
}

RenderedMarkdown renderDocument(const std::string& markdown, int first_line,
                                const std::string& file, const LinkResolver& resolver,
                                const MarkdownOptions& options, Issues& issues) {
    std::unique_ptr<cmark_node, void (*)(cmark_node*)> doc(
        cmark_parse_document(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT), cmark_node_free);
    std::vector<cmark_node*> links, images, code, headings;
    cmark_iter* iter = cmark_iter_new(doc.get());
    for (auto ev = cmark_iter_next(iter); ev != CMARK_EVENT_DONE; ev = cmark_iter_next(iter)) {
        if (ev != CMARK_EVENT_ENTER) continue;
        cmark_node* n = cmark_iter_get_node(iter);
        auto type = cmark_node_get_type(n);
        if (type == CMARK_NODE_LINK) links.push_back(n);
        if (type == CMARK_NODE_IMAGE) images.push_back(n);
        if (type == CMARK_NODE_CODE_BLOCK) code.push_back(n);
        if (type == CMARK_NODE_HEADING && cmark_node_get_heading_level(n) >= 2)
            headings.push_back(n);
    }
    cmark_iter_free(iter);

    for (cmark_node* link : links) {
        std::string href = cmark_node_get_url(link) ? cmark_node_get_url(link) : "";
        if (isExternal(href)) continue;
        if (auto url = resolver.link(href)) {
            cmark_node_set_url(link, url->c_str());
        } else {
            issues.push_back({file, first_line + lineOf(link) - 1,
                              "link to \"" + href + "\": no such page or asset"});
        }
    }
    for (cmark_node* image : images) {
        std::string src = cmark_node_get_url(image) ? cmark_node_get_url(image) : "";
        std::string alt = plainText(image);
        std::string why;
        auto tag = resolver.image(src, alt, why);
        if (!tag) {
            issues.push_back(
                {file, first_line + lineOf(image) - 1, "image \"" + src + "\": " + why});
            continue;
        }
        cmark_node* html = cmark_node_new(CMARK_NODE_HTML_INLINE);
        cmark_node_set_literal(html, tag->c_str());
        cmark_node_replace(image, html);
        cmark_node_free(image);
    }
    for (cmark_node* block : code) renderCode(block, options);
    RenderedMarkdown out;
    if (options.anchors) {
        std::set<std::string> used = {"main", "toc", "toc-title"};  // ids of the layouts
        for (cmark_node* heading : headings) {
            out.headings.push_back(renderHeading(heading, options, used));
        }
    }
    out.html = renderNode(doc.get());
    return out;
}

}  // namespace portico::plugins::pages
