#pragma once

// The state of one site build (buildSite): what was read, the lookup tables, the pages rendered
// so far. Internal to the pages plugin: site.cpp renders pages, site_lists.cpp the notes lists,
// tag pages, feeds and the Markdown options.

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "content.hpp"
#include "highlight.hpp"
#include "markdown.hpp"
#include "picture.hpp"
#include "portico/sdk/messages.hpp"
#include "site.hpp"
#include "templates.hpp"

namespace portico::plugins::pages {

/// `s` without leading and trailing whitespace.
inline std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

/// `locale`'s string `key`, or `fallback` when the catalog has none.
inline std::string stringOr(const sdk::Messages& messages, const std::string& locale,
                            const std::string& key, std::string fallback) {
    return messages.has(locale, key) ? messages.text(locale, key) : fallback;
}

struct SiteBuilder {
    const PagesConfig& config;
    const sdk::SiteInfo& site;
    Issues& issues;
    const nlohmann::json& facts;  // what other plugins published (SiteModel::publishFacts)
    BuiltSite out;
    std::vector<SourcePage> sources;
    sdk::Messages messages;
    Templates templates;
    std::map<std::string, const SourcePage*> by_rel;  // locale + '\n' + rel
    std::map<std::string, std::map<std::string, const SourcePage*>> by_key;
    std::set<std::string> urls;
    std::shared_ptr<RenderKit> kit;
    nlohmann::json owner;
    std::string image;                       // absolute og:image URL
    std::map<std::string, ImageSet> images;  // planned variants by asset path
    // Images some page shows (all variants) or names as og:image (that rendition only): only
    // these are encoded, so an unused original costs no start-up time.
    mutable std::set<std::string> pictured, og_only;
    std::map<std::string, nlohmann::json> feeds;  // locale -> {url, title} of its notes feed
    std::unique_ptr<Highlighter> highlighter;     // made on the first code block

    // The asset path of "img/a.jpg" or "/assets/img/a.jpg"; nullptr when there is none.
    const Asset* findAsset(std::string path) const;

    const ImageSet* imageSet(const Asset& asset) const;

    // The template data of an image asset shown as `use`; null when the asset is missing.
    nlohmann::json picture(const std::string& path, const PictureUse& use) const;

    // The absolute og:image URL for an asset: its 1200x630 rendition when it has variants.
    std::optional<std::string> ogImageUrl(const std::string& path) const;

    std::optional<std::string> assetUrl(std::string path) const;

    std::string pageUrl(const std::string& key, const std::string& locale) const;

    void load();

    const SourcePage* sourceFor(const std::string& key, const std::string& locale) const;

    std::optional<std::string> highlight(const std::string& language, const std::string& code);

    MarkdownOptions markdownOptions(const SourcePage& p, bool anchors);

    // [{name, url}] of the tags a page carries, in its locale.
    nlohmann::json tagLinks(const SourcePage& p) const;

    int readingMinutesOf(const SourcePage& p) const;

    void ownerData();

    nlohmann::json ld(const std::string& locale) const;

    nlohmann::json common(const std::string& locale) const;

    Helpers helpers(const std::string& locale, const std::string& where);

    nlohmann::json switcher(const std::string& locale,
                            const std::map<std::string, std::string>& versions) const;

    LinkResolver resolver(const SourcePage& p) const;

    nlohmann::json children(const SourcePage& p) const;

    // The card data of `kids`, in order.
    nlohmann::json childList(const std::vector<const SourcePage*>& kids) const;

    // A notes list page: its slice of the locale's notes and the links to the other pages.
    void listData(const SourcePage& p, nlohmann::json& data) const;

    // [{id, text, children: [{id, text}]}]: the h2s with the h3s below each.
    static nlohmann::json tocData(const std::vector<Heading>& headings);

    void renderPage(const SourcePage& p);

    std::string renderSelector(bool not_found);

    // One Atom feed per locale with a notes list: its newest notes, bodies without anchors.
    void buildFeeds();

    void entries();
};

}  // namespace portico::plugins::pages
