#include "site.hpp"

#include <algorithm>
#include <thread>

#include "content.hpp"
#include "head.hpp"
#include "portico/sdk/file_cache.hpp"
#include "portico/sdk/http.hpp"
#include "sections.hpp"
#include "site_builder.hpp"

namespace portico::plugins::pages {
const Asset* SiteBuilder::findAsset(std::string path) const {
    if (path.rfind("/assets/", 0) == 0) path.erase(0, 8);
    auto it = out.assets.find(path);
    return it == out.assets.end() ? nullptr : &it->second;
}

const ImageSet* SiteBuilder::imageSet(const Asset& asset) const {
    auto it = images.find(asset.rel);
    return it == images.end() ? nullptr : &it->second;
}

nlohmann::json SiteBuilder::picture(const std::string& path, const PictureUse& use) const {
    const Asset* asset = findAsset(path);
    if (!asset) return nullptr;
    pictured.insert(asset->rel);
    return pictureData(*asset, imageSet(*asset), use);
}

std::optional<std::string> SiteBuilder::ogImageUrl(const std::string& path) const {
    const Asset* asset = findAsset(path);
    if (!asset) return std::nullopt;
    const ImageSet* set = imageSet(*asset);
    if (set) og_only.insert(asset->rel);
    return site.base_url + (set ? set->og.url : asset->url);
}

std::optional<std::string> SiteBuilder::assetUrl(std::string path) const {
    if (path.rfind("/assets/", 0) == 0) path.erase(0, 8);
    auto it = out.assets.find(path);
    if (it == out.assets.end()) return std::nullopt;
    return it->second.url;
}

std::string SiteBuilder::pageUrl(const std::string& key, const std::string& locale) const {
    auto it = by_key.find(key);
    if (it == by_key.end()) return "";
    auto v = it->second.find(locale);
    return v == it->second.end() ? "" : v->second->url;
}

void SiteBuilder::load() {
    std::string shown = config.root;
    while (shown.size() > 1 && shown.back() == '/') shown.pop_back();
    sources = loadContent(config.root + "/content", shown + "/content", site.locales, issues);
    messages = sdk::Messages(site.default_locale);
    for (auto& issue : messages.load(config.locales_dir, config.locales_dir, site.locales)) {
        issues.push_back({std::move(issue.file), issue.line, std::move(issue.message)});
    }
    out.assets = loadAssets(config.root + "/assets", shown + "/assets", issues, out.skipped_assets);
    images = planImages(out.assets, config.images, shown + "/assets");
    templates.load(config.root + "/templates", shown + "/templates", issues);
    if (!config.drafts) {
        sources.erase(std::remove_if(sources.begin(), sources.end(),
                                     [](const SourcePage& p) { return p.source.meta.draft; }),
                      sources.end());
    }
    addGeneratedPages(
        sources, config,
        [this](const std::string& locale, const std::string& key, const std::string& fallback) {
            return stringOr(messages, locale, key, fallback);
        },
        issues);
    for (const auto& p : sources) {
        by_rel[p.locale + "\n" + p.rel] = &p;
        if (p.not_found) continue;
        by_key[p.key][p.locale] = &p;
        urls.insert(p.url);
    }
    for (const auto& locale : site.locales) {
        const SourcePage* list = sourceFor(config.notes.section, locale);
        if (!list) continue;
        std::string title = list->source.meta.title;
        if (!config.owner.name.empty()) title += " · " + config.owner.name;
        feeds[locale] = {{"url", list->url + "feed.xml"}, {"title", title}};
    }
}

void SiteBuilder::ownerData() {
    const Owner& o = config.owner;
    std::string domain = o.domain;
    if (domain.empty()) {
        auto start = site.base_url.find("://");
        domain = start == std::string::npos ? site.base_url : site.base_url.substr(start + 3);
    }
    owner = {{"name", o.name},
             {"email", o.email},
             {"job_title", o.job_title},
             {"domain", domain},
             {"social", nlohmann::json::array()}};
    for (const auto& s : o.social) owner["social"].push_back({{"name", s.name}, {"url", s.url}});
    if (!o.photo.empty()) {
        // The home hero: fetched first, never lazy. Its alt text is per locale (common()).
        PictureUse use{"", config.images.sizes_portrait, "portrait", true, true};
        auto photo = picture(o.photo, use);
        if (photo.is_null()) {
            issues.push_back({"owner.photo", 0, "asset \"" + o.photo + "\" not found"});
        } else {
            owner["photo"] = std::move(photo);
        }
    }
    std::string og = config.og_image.empty() ? o.photo : config.og_image;
    if (!og.empty()) {
        if (auto url = ogImageUrl(og)) {
            image = *url;
        } else if (!config.og_image.empty()) {
            issues.push_back({"og_image", 0, "asset \"" + og + "\" not found"});
        }
    }
}

nlohmann::json SiteBuilder::ld(const std::string& locale) const {
    nlohmann::json person = {
        {"@type", "Person"}, {"name", config.owner.name}, {"url", site.base_url + "/"}};
    if (!config.owner.email.empty()) person["email"] = "mailto:" + config.owner.email;
    if (!config.owner.job_title.empty()) person["jobTitle"] = config.owner.job_title;
    if (owner.contains("photo"))
        person["image"] = site.base_url + owner["photo"]["src"].get<std::string>();
    if (!config.owner.social.empty()) {
        person["sameAs"] = nlohmann::json::array();
        for (const auto& s : config.owner.social) person["sameAs"].push_back(s.url);
    }
    nlohmann::json website = {{"@type", "WebSite"},
                              {"name", stringOr(messages, locale, "site.name", config.owner.name)},
                              {"url", site.base_url + "/"},
                              {"inLanguage", locale}};
    return nlohmann::json{{"person", person}, {"website", website}};
}

nlohmann::json SiteBuilder::common(const std::string& locale) const {
    const nlohmann::json& t = messages.catalog(locale);
    auto graph = ld(locale);
    nlohmann::json locales = nlohmann::json::array();
    for (const auto& l : site.locales) locales.push_back(l);
    nlohmann::json local_owner = owner;
    if (local_owner.contains("photo")) {
        local_owner["photo"]["alt"] =
            stringOr(messages, locale, "meta.image_alt", config.owner.name);
    }
    return {{"t", t},
            {"owner", local_owner},
            {"site",
             {{"base_url", site.base_url},
              {"default_locale", site.default_locale},
              {"locales", locales}}},
            {"home_url", "/" + locale + "/"},
            {"facts", facts},
            {"feed", feeds.count(locale) ? feeds.at(locale) : nlohmann::json(false)},
            {"twitter_card", config.twitter_card},
            {"json_ld", jsonLd(graph["person"], graph["website"])}};
}

Helpers SiteBuilder::helpers(const std::string& locale, const std::string& where) {
    Helpers h;
    h.url = [this, locale, where](const std::string& text) {
        std::string key = trim(text);
        std::string url = pageUrl(key, locale);
        if (url.empty()) {
            issues.push_back({where, 0,
                              "template: {{#url}}" + key + "{{/url}}: no page \"" + key +
                                  "\" in locale \"" + locale + "\""});
        }
        return url;
    };
    h.asset = [this, where](const std::string& text) {
        std::string path = trim(text);
        auto url = assetUrl(path);
        if (!url) {
            issues.push_back(
                {where, 0, "template: {{#asset}}" + path + "{{/asset}}: asset not found"});
        }
        return url.value_or("");
    };
    return h;
}

nlohmann::json SiteBuilder::switcher(const std::string& locale,
                                     const std::map<std::string, std::string>& versions) const {
    auto list = nlohmann::json::array();
    for (const auto& l : site.locales) {
        auto it = versions.find(l);
        list.push_back({{"lang", l},
                        {"name", stringOr(messages, l, "language.name", l)},
                        {"href", it != versions.end() ? it->second : "/" + l + "/"},
                        {"current", l == locale}});
    }
    return list;
}

LinkResolver SiteBuilder::resolver(const SourcePage& p) const {
    LinkResolver r;
    r.link = [this, &p](const std::string& href) -> std::optional<std::string> {
        auto hash = href.find('#');
        std::string path = href.substr(0, hash);
        std::string fragment = hash == std::string::npos ? "" : href.substr(hash);
        if (path.size() > 3 && path.compare(path.size() - 3, 3, ".md") == 0) {
            auto rel = joinRel(folderOf(p.rel), path);
            if (!rel) return std::nullopt;
            auto it = by_rel.find(p.locale + "\n" + *rel);
            if (it == by_rel.end() || it->second->not_found) return std::nullopt;
            return it->second->url + fragment;
        }
        if (path.rfind("/assets/", 0) == 0) {
            auto url = assetUrl(path);
            if (!url) return std::nullopt;
            return *url + fragment;
        }
        if (!path.empty() && path[0] == '/' && (path == "/" || urls.count(path))) return href;
        return std::nullopt;
    };
    r.image = [this](const std::string& src, const std::string& alt,
                     std::string& why) -> std::optional<std::string> {
        const Asset* a = src.rfind("/assets/", 0) == 0 ? findAsset(src) : nullptr;
        if (!a) {
            why = "not found in the asset folder (write it as /assets/PATH)";
            return std::nullopt;
        }
        if (trim(alt).empty()) {
            why = "alt text is required";
            return std::nullopt;
        }
        if (!templates.hasPartial("picture")) {
            why = "no " + templates.partialFile("picture") + " to render it with";
            return std::nullopt;
        }
        PictureUse use{alt, config.images.sizes_content, "", false, false};
        pictured.insert(a->rel);
        return trim(templates.renderPartial("picture", pictureData(*a, imageSet(*a), use), issues));
    };
    return r;
}

nlohmann::json SiteBuilder::children(const SourcePage& p) const {
    std::vector<const SourcePage*> kids;
    if (p.key != "index") {
        for (const auto& [key, versions] : by_key) {
            if (key.rfind(p.key + "/", 0) != 0 ||
                key.find('/', p.key.size() + 1) != std::string::npos)
                continue;
            auto it = versions.find(p.locale);
            if (it != versions.end()) kids.push_back(it->second);
        }
    }
    std::sort(kids.begin(), kids.end(), [](const SourcePage* a, const SourcePage* b) {
        const auto &ma = a->source.meta, &mb = b->source.meta;
        return ma.weight != mb.weight ? ma.weight < mb.weight : ma.title < mb.title;
    });
    return childList(kids);
}

void SiteBuilder::renderPage(const SourcePage& p) {
    const PageMeta& m = p.source.meta;
    std::map<std::string, std::string> versions;
    std::string x_default;
    if (!p.not_found) {
        for (const auto& [locale, page] : by_key.at(p.key)) versions[locale] = page->url;
        x_default = p.key == "index"                      ? "/"
                    : versions.count(site.default_locale) ? versions[site.default_locale]
                                                          : versions.begin()->second;
    }
    HeadInput head{site.base_url,
                   p.locale,
                   p.url,
                   site.locales,
                   versions,
                   x_default,
                   m.title,
                   m.description,
                   image,
                   "",
                   p.key == "index" ? "website" : "article"};
    head.image_alt = stringOr(messages, p.locale, "meta.image_alt", config.owner.name);
    nlohmann::json cover = false;
    if (m.params.contains("image")) {
        const std::string path =
            m.params["image"].is_string() ? m.params["image"].get<std::string>() : "";
        auto url = ogImageUrl(path);
        if (!url) issues.push_back({p.file, 1, "params.image: asset not found"});
        head.image = url ? *url : image;
        head.image_alt = m.params.value("image_alt", m.title);
        // The page's own cover is its hero: fetched first.
        PictureUse use{head.image_alt, config.images.sizes_content, "", true, true};
        if (url) cover = picture(path, use);
    }
    nlohmann::json data = headData(head);
    data.update(common(p.locale));
    const bool note = isNote(p, config.notes.section);
    auto rendered = renderDocument(p.source.body, p.source.body_line, p.file, resolver(p),
                                   markdownOptions(p, note || m.toc), issues);
    data["content"] = rendered.html;
    data["toc"] =
        m.toc && !rendered.headings.empty() ? tocData(rendered.headings) : nlohmann::json(false);
    data["has_toc"] = data["toc"].is_array();
    data["page"] = {{"key", p.key},        {"url", p.url},
                    {"date", m.date},      {"weight", std::to_string(m.weight)},
                    {"params", m.params},  {"image", cover},
                    {"tags", tagLinks(p)}, {"reading_minutes", std::to_string(readingMinutesOf(p))},
                    {"is_note", note}};
    data["is_home"] = p.key == "index";
    data["is_404"] = p.not_found;
    data["noindex"] = m.noindex || m.draft || p.not_found;
    data["switcher"] = switcher(p.locale, versions);
    if (!p.tag.empty()) {
        data["children"] = childList(taggedWith(sources, p.locale, p.tag));
        data["tag"] = {{"name", m.title}, {"count", m.params.value("count", "0")}};
    } else if (p.key == config.notes.section || p.list_page > 0) {
        listData(p, data);
    } else {
        data["children"] = children(p);
    }
    data["has_children"] = !data["children"].empty();
    if (!templates.hasLayout(m.layout)) {
        issues.push_back({p.file, 1, "layout \"" + m.layout + "\" not found in templates/layouts"});
        return;
    }
    if (!p.not_found) kit->pages[p.url] = {p.locale, m.layout, data};
    BuiltPage b{p.locale, p.key, p.url, p.file, p.hash, m.date, ""};
    b.html =
        templates.render(m.layout, data, helpers(p.locale, templates.layoutFile(m.layout)), issues);
    if (p.not_found) {
        out.not_found[p.locale] = std::move(b);
    } else {
        out.pages.push_back(std::move(b));
    }
}

std::string SiteBuilder::renderSelector(bool not_found) {
    if (!templates.hasLayout("selector")) {
        issues.push_back({templates.layoutFile("selector"), 0, "layout for \"/\" not found"});
        return {};
    }
    std::map<std::string, std::string> homes;
    for (const auto& l : site.locales)
        homes[l] = pageUrl("index", l).empty() ? "/" + l + "/" : pageUrl("index", l);
    const std::string& lang = site.default_locale;
    std::string title, description;
    auto choices = nlohmann::json::array();
    for (const auto& l : site.locales) {
        std::string key = not_found ? "not_found" : "selector";
        title += (title.empty() ? "" : " / ") + stringOr(messages, l, key + ".title", l);
        description +=
            (description.empty() ? "" : " ") + stringOr(messages, l, key + ".description", "");
        choices.push_back({{"lang", l},
                           {"href", homes[l]},
                           {"t", messages.catalog(l)},
                           {"name", stringOr(messages, l, "language.name", l)}});
    }
    HeadInput head{site.base_url,
                   lang,
                   not_found ? "" : "/",
                   site.locales,
                   homes,
                   "/",
                   title,
                   description,
                   image,
                   stringOr(messages, lang, "meta.image_alt", config.owner.name),
                   "website"};
    nlohmann::json data = headData(head);
    data.update(common(lang));
    data["locales"] = choices;
    data["is_404"] = not_found;
    data["noindex"] = not_found;
    data["switcher"] = switcher(lang, homes);
    return templates.render("selector", data, helpers(lang, templates.layoutFile("selector")),
                            issues);
}

void SiteBuilder::entries() {
    for (const auto& [key, versions] : by_key) {
        sdk::PageEntry e;
        e.key = key;
        for (const auto& [locale, p] : versions) {
            e.paths[locale] = p->url;
            if (p->source.meta.noindex || p->source.meta.draft) e.indexable = false;
        }
        e.x_default = key == "index"                       ? "/"
                      : e.paths.count(site.default_locale) ? e.paths[site.default_locale]
                                                           : e.paths.begin()->second;
        out.entries.push_back(std::move(e));
    }
}

std::optional<std::string> RenderKit::render(const std::string& path,
                                             const nlohmann::json& extra) const {
    auto it = pages.find(path);
    if (it == pages.end()) return std::nullopt;
    const Page& page = it->second;
    nlohmann::json data = page.data;
    if (extra.is_object()) {
        for (const auto& [key, value] : extra.items()) data[key] = value;
    }
    Helpers h;
    h.url = [this, &page](const std::string& text) {
        auto k = urls.find(trim(text));
        if (k == urls.end()) return std::string();
        auto v = k->second.find(page.locale);
        return v == k->second.end() ? std::string() : v->second;
    };
    h.asset = [this](const std::string& text) {
        std::string rel = trim(text);
        if (rel.rfind("/assets/", 0) == 0) rel.erase(0, 8);
        auto a = assets.find(rel);
        return a == assets.end() ? std::string() : a->second;
    };
    Issues ignored;
    return templates.render(page.layout, data, h, ignored);
}

BuiltSite buildSite(const PagesConfig& config, const sdk::SiteInfo& site,
                    const nlohmann::json& facts, Issues& issues) {
    SiteBuilder b{
        config, site, issues, facts, {}, {}, {}, {}, {}, {}, {}, std::make_shared<RenderKit>(),
        {},     {},   {},     {},    {}, {}, {}};
    b.load();
    b.ownerData();
    for (const auto& p : b.sources) b.renderPage(p);
    b.out.selector_html = b.renderSelector(false);
    b.out.neutral_not_found_html = b.renderSelector(true);
    b.buildFeeds();
    b.entries();
    b.kit->templates = b.templates;
    for (const auto& [key, versions] : b.by_key) {
        for (const auto& [locale, page] : versions) b.kit->urls[key][locale] = page->url;
    }
    for (const auto& [rel, asset] : b.out.assets) b.kit->assets[rel] = asset.url;
    b.out.kit = std::move(b.kit);
    for (auto it = b.images.begin(); it != b.images.end();) {
        if (b.pictured.count(it->first)) {
            ++it;
        } else if (b.og_only.count(it->first)) {
            it->second.variants.clear();
            ++it;
        } else {
            it = b.images.erase(it);
        }
    }
    // data_dir is absolute and exists (SiteInfo); without one, nothing is cached.
    std::unique_ptr<sdk::FileCache> cache;
    if (!site.data_dir.empty()) {
        cache = std::make_unique<sdk::FileCache>(site.data_dir + "/cache/images", kImageCacheFormat,
                                                 kImageCacheSuffix);
    }
    b.out.image_stats = encodeImages(b.images, b.out.assets, config.images, cache.get(), issues,
                                     std::max(1u, std::thread::hardware_concurrency()));
    if (cache) {
        b.out.image_stats.cache = cache->stats();
        // Only a complete build knows which files are still wanted.
        if (issues.empty()) b.out.image_stats.pruned = cache->prune();
    }
    b.out.images = std::move(b.images);
    return std::move(b.out);
}

}  // namespace portico::plugins::pages
