// The notes lists, tag pages, feeds and Markdown options of a site build (see site_builder.hpp).
#include <algorithm>

#include "feed.hpp"
#include "sections.hpp"
#include "site_builder.hpp"
#include "text.hpp"

namespace portico::plugins::pages {

const SourcePage* SiteBuilder::sourceFor(const std::string& key, const std::string& locale) const {
    auto it = by_key.find(key);
    if (it == by_key.end()) return nullptr;
    auto v = it->second.find(locale);
    return v == it->second.end() ? nullptr : v->second;
}

std::optional<std::string> SiteBuilder::highlight(const std::string& language,
                                                  const std::string& code) {
    if (!highlighter) highlighter = std::make_unique<Highlighter>();
    return highlighter->html(language, code);
}

MarkdownOptions SiteBuilder::markdownOptions(const SourcePage& p, bool anchors) {
    MarkdownOptions options;
    options.anchors = anchors;
    options.anchor_label = stringOr(messages, p.locale, "notes.anchor", options.anchor_label);
    options.highlight = [this](const std::string& language, const std::string& code) {
        return highlight(language, code);
    };
    return options;
}

nlohmann::json SiteBuilder::tagLinks(const SourcePage& p) const {
    auto list = nlohmann::json::array();
    for (const auto& name : p.source.meta.tags) {
        if (const auto* tag = sourceFor(config.tags.section + "/" + tagId(name), p.locale)) {
            list.push_back({{"name", tag->source.meta.title}, {"url", tag->url}});
        }
    }
    return list;
}

int SiteBuilder::readingMinutesOf(const SourcePage& p) const {
    return readingMinutes(countWords(p.source.body), config.notes.words_per_minute);
}

nlohmann::json SiteBuilder::childList(const std::vector<const SourcePage*>& kids) const {
    auto list = nlohmann::json::array();
    for (const auto* k : kids) {
        const auto& m = k->source.meta;
        nlohmann::json child = {{"key", k->key},
                                {"title", m.title},
                                {"description", m.description},
                                {"url", k->url},
                                {"date", m.date},
                                {"params", m.params},
                                {"tags", tagLinks(*k)},
                                {"reading_minutes", std::to_string(readingMinutesOf(*k))},
                                {"image", false}};
        if (m.params.contains("image") && m.params["image"].is_string()) {
            // The first card is usually in the first screen, so it is not lazy.
            PictureUse use{m.params.value("image_alt", m.title), config.images.sizes_card, "",
                           false, list.empty()};
            auto cover = picture(m.params["image"].get<std::string>(), use);
            if (!cover.is_null()) child["image"] = std::move(cover);
        }
        list.push_back(std::move(child));
    }
    return list;
}

void SiteBuilder::listData(const SourcePage& p, nlohmann::json& data) const {
    auto notes = notesOf(sources, p.locale, config.notes.section);
    const int size = config.notes.page_size;
    const int count = pageCount(notes.size(), size);
    const int number = std::max(1, p.list_page);
    const auto from = std::min(notes.size(), static_cast<std::size_t>((number - 1) * size));
    const auto to = std::min(notes.size(), from + static_cast<std::size_t>(size));
    data["children"] = childList({notes.begin() + from, notes.begin() + to});
    data["has_children"] = from < to;
    if (count < 2) {
        data["pagination"] = false;
        return;
    }
    auto urlOf = [&](int n) {
        const auto* page =
            n == 1 ? sourceFor(config.notes.section, p.locale)
                   : sourceFor(config.notes.section + "/page/" + std::to_string(n), p.locale);
        return page ? page->url : std::string();
    };
    auto pages = nlohmann::json::array();
    for (int n = 1; n <= count; ++n) {
        pages.push_back(
            {{"number", std::to_string(n)}, {"url", urlOf(n)}, {"current", n == number}});
    }
    data["pagination"] = {{"number", std::to_string(number)},
                          {"total", std::to_string(count)},
                          {"prev", number > 1 ? urlOf(number - 1) : ""},
                          {"next", number < count ? urlOf(number + 1) : ""},
                          {"pages", pages}};
}

nlohmann::json SiteBuilder::tocData(const std::vector<Heading>& headings) {
    auto list = nlohmann::json::array();
    for (const auto& h : headings) {
        nlohmann::json item = {
            {"id", h.id}, {"text", h.text}, {"children", nlohmann::json::array()}};
        if (h.level == 2 || list.empty()) {
            list.push_back(std::move(item));
        } else if (h.level == 3) {
            list.back()["children"].push_back(std::move(item));
        }
    }
    for (auto& item : list) item["has_children"] = !item["children"].empty();
    return list;
}

void SiteBuilder::buildFeeds() {
    for (const auto& [locale, feed] : feeds) {
        const SourcePage* list = sourceFor(config.notes.section, locale);
        FeedInput in;
        in.lang = locale;
        in.title = feed["title"].get<std::string>();
        in.subtitle = list->source.meta.description;
        in.self_url = site.base_url + feed["url"].get<std::string>();
        in.page_url = site.base_url + list->url;
        in.author = config.owner.name;
        auto notes = notesOf(sources, locale, config.notes.section);
        if (notes.size() > static_cast<std::size_t>(config.notes.feed_entries))
            notes.resize(static_cast<std::size_t>(config.notes.feed_entries));
        for (const auto* n : notes) {
            Issues again;  // reported when the page itself was rendered
            FeedEntry e;
            e.title = n->source.meta.title;
            e.url = site.base_url + n->url;
            e.date = n->source.meta.date;
            e.summary = n->source.meta.description;
            e.html = renderDocument(n->source.body, n->source.body_line, n->file, resolver(*n),
                                    markdownOptions(*n, false), again)
                         .html;
            for (const auto& name : n->source.meta.tags) {
                const auto* tag = sourceFor(config.tags.section + "/" + tagId(name), locale);
                e.categories.emplace_back(tagId(name), tag ? tag->source.meta.title : name);
            }
            in.entries.push_back(std::move(e));
        }
        out.feeds.push_back({locale, feed["url"].get<std::string>(), atomFeed(in)});
    }
}

}  // namespace portico::plugins::pages
