#include "sections.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "front_matter.hpp"
#include "portico/sdk/fingerprint.hpp"
#include "text.hpp"

namespace portico::plugins::pages {
namespace {

const SourcePage* sectionPage(const std::vector<SourcePage>& pages, const std::string& locale,
                              const std::string& key) {
    for (const auto& p : pages) {
        if (p.locale == locale && p.key == key && !p.not_found && p.tag.empty() && p.list_page == 0)
            return &p;
    }
    return nullptr;
}

std::string newestDate(const std::vector<const SourcePage*>& pages) {
    std::string newest;
    for (const auto* p : pages) newest = std::max(newest, p->source.meta.date);
    return newest;
}

// A fingerprint of what a generated page lists, for its lastmod when no page has a date.
std::string listHash(const std::string& seed, const std::vector<const SourcePage*>& pages) {
    std::string all = seed;
    for (const auto* p : pages) all += "\n" + p->url + " " + p->hash;
    return sdk::contentFingerprint(all, 16);
}

void addTagPages(std::vector<SourcePage>& pages, std::vector<SourcePage>& out,
                 const PagesConfig& config, const StringLookup& text,
                 const std::set<std::string>& locales, Issues& issues) {
    for (const auto& locale : locales) {
        std::map<std::string, std::string> names;  // id -> name as first written
        const SourcePage* first = nullptr;
        for (const auto& p : pages) {
            if (p.locale != locale || p.not_found) continue;
            for (const auto& name : p.source.meta.tags) {
                names.emplace(tagId(name), name);
                if (!first) first = &p;
            }
        }
        if (names.empty()) continue;
        const SourcePage* index = sectionPage(pages, locale, config.tags.section);
        if (!index) {
            issues.push_back({first->file, 1,
                              "tags: no page \"" + config.tags.section + "\" in locale \"" +
                                  locale + "\" to put the tag pages below (add " +
                                  config.tags.section + "/index.md)"});
            continue;
        }
        for (const auto& [id, written] : names) {
            const std::string name = text(locale, "tag_names." + id, written);
            auto tagged = taggedWith(pages, locale, id);
            SourcePage t;
            t.locale = locale;
            t.rel = "tags:" + id;  // never a Markdown link target
            t.file = index->file;
            t.key = config.tags.section + "/" + id;
            t.url = index->url + (slugify(name).empty() ? id : slugify(name)) + "/";
            t.tag = id;
            t.hash = listHash(name, tagged);
            t.source.meta.title = name;
            t.source.meta.description =
                text(locale, "tag.description", "Pages tagged") + " " + name + ".";
            t.source.meta.layout = config.tags.layout;
            t.source.meta.date = newestDate(tagged);
            t.source.meta.params = {{"count", std::to_string(tagged.size())}};
            out.push_back(std::move(t));
        }
    }
}

void addListPages(std::vector<SourcePage>& pages, std::vector<SourcePage>& out,
                  const PagesConfig& config, const StringLookup& text,
                  const std::set<std::string>& locales, Issues& issues) {
    for (const auto& locale : locales) {
        const SourcePage* list = sectionPage(pages, locale, config.notes.section);
        if (!list) continue;
        auto notes = notesOf(pages, locale, config.notes.section);
        for (const auto* n : notes) {
            if (n->source.meta.date.empty()) {
                issues.push_back({n->file, 1, "front matter: a note needs a \"date\""});
            }
        }
        std::string segment = text(locale, "pagination.slug", "page");
        if (!validSlug(segment)) {
            issues.push_back({"pagination.slug", 0,
                              "must be a URL slug (lowercase letters, digits, '-'), got \"" +
                                  segment + "\" in locale \"" + locale + "\""});
            segment = "page";
        }
        const int count = pageCount(notes.size(), config.notes.page_size);
        for (int n = 2; n <= count; ++n) {
            const auto from = static_cast<std::size_t>((n - 1) * config.notes.page_size);
            const auto to = std::min(notes.size(), from + config.notes.page_size);
            std::vector<const SourcePage*> shown(notes.begin() + from, notes.begin() + to);
            SourcePage p = *list;
            p.rel = "list:" + std::to_string(n);
            p.key = list->key + "/page/" + std::to_string(n);
            p.url = list->url + segment + "/" + std::to_string(n) + "/";
            p.list_page = n;
            p.hash = listHash(list->hash, shown);
            p.source.meta.title = list->source.meta.title + " – " +
                                  text(locale, "pagination.page", "Page") + " " + std::to_string(n);
            p.source.meta.date = newestDate(shown);
            out.push_back(std::move(p));
        }
    }
}

}  // namespace

std::string tagId(const std::string& name) { return slugify(name); }

bool isNote(const SourcePage& page, const std::string& section) {
    return !page.not_found && page.tag.empty() && page.list_page == 0 &&
           page.key.size() > section.size() + 1 && page.key.rfind(section + "/", 0) == 0 &&
           page.key.find('/', section.size() + 1) == std::string::npos;
}

void sortNewestFirst(std::vector<const SourcePage*>& pages) {
    std::stable_sort(pages.begin(), pages.end(), [](const SourcePage* a, const SourcePage* b) {
        const auto &ma = a->source.meta, &mb = b->source.meta;
        return ma.date != mb.date ? ma.date > mb.date : ma.title < mb.title;
    });
}

std::vector<const SourcePage*> notesOf(const std::vector<SourcePage>& pages,
                                       const std::string& locale, const std::string& section) {
    std::vector<const SourcePage*> out;
    for (const auto& p : pages) {
        if (p.locale == locale && isNote(p, section)) out.push_back(&p);
    }
    sortNewestFirst(out);
    return out;
}

std::vector<const SourcePage*> taggedWith(const std::vector<SourcePage>& pages,
                                          const std::string& locale, const std::string& id) {
    std::vector<const SourcePage*> out;
    for (const auto& p : pages) {
        if (p.locale != locale || p.not_found || !p.tag.empty() || p.list_page != 0) continue;
        for (const auto& name : p.source.meta.tags) {
            if (tagId(name) == id) {
                out.push_back(&p);
                break;
            }
        }
    }
    sortNewestFirst(out);
    return out;
}

void addGeneratedPages(std::vector<SourcePage>& pages, const PagesConfig& config,
                       const StringLookup& text, Issues& issues) {
    std::set<std::string> locales, urls;
    for (const auto& p : pages) {
        locales.insert(p.locale);
        if (!p.not_found) urls.insert(p.url);
    }
    std::vector<SourcePage> added;
    addTagPages(pages, added, config, text, locales, issues);
    addListPages(pages, added, config, text, locales, issues);
    for (auto& p : added) {
        if (!urls.insert(p.url).second) {
            issues.push_back({p.file, 1,
                              "the generated page \"" + p.key + "\" would have the url \"" + p.url +
                                  "\", which another page already has"});
            continue;
        }
        pages.push_back(std::move(p));
    }
}

}  // namespace portico::plugins::pages
