#include "markdown.hpp"

#include <cmark.h>

#include <cstdlib>
#include <memory>
#include <vector>

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

}  // namespace

bool isExternal(const std::string& href) {
    if (href.empty() || href[0] == '#' || href.rfind("//", 0) == 0) return true;
    auto colon = href.find(':');
    auto slash = href.find('/');
    return colon != std::string::npos && (slash == std::string::npos || colon < slash);
}

std::string renderMarkdown(const std::string& markdown, int first_line, const std::string& file,
                           const LinkResolver& resolver, Issues& issues) {
    std::unique_ptr<cmark_node, void (*)(cmark_node*)> doc(
        cmark_parse_document(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT), cmark_node_free);
    std::vector<cmark_node*> links, images;
    cmark_iter* iter = cmark_iter_new(doc.get());
    for (auto ev = cmark_iter_next(iter); ev != CMARK_EVENT_DONE; ev = cmark_iter_next(iter)) {
        if (ev != CMARK_EVENT_ENTER) continue;
        cmark_node* n = cmark_iter_get_node(iter);
        if (cmark_node_get_type(n) == CMARK_NODE_LINK) links.push_back(n);
        if (cmark_node_get_type(n) == CMARK_NODE_IMAGE) images.push_back(n);
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
    char* rendered = cmark_render_html(doc.get(), CMARK_OPT_UNSAFE);
    std::string out = rendered ? rendered : "";
    std::free(rendered);
    return out;
}

}  // namespace portico::plugins::pages
