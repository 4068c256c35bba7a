#include "sitemap.hpp"

#include "portico/sdk/http.hpp"

namespace portico::plugins::sitemap {
namespace {

constexpr const char* kHead = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
constexpr const char* kUrlsetOpen =
    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
    "xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n";
constexpr const char* kUrlsetClose = "</urlset>\n";

std::string urlElement(const sdk::PageEntry& page, const std::string& path,
                       const std::string& base) {
    std::string alternates;
    for (const auto& [locale, other] : page.paths) {
        alternates += "<xhtml:link rel=\"alternate\" hreflang=\"" + sdk::escapeHtml(locale) +
                      "\" href=\"" + sdk::escapeHtml(base + other) + "\"/>";
    }
    if (!page.x_default.empty()) {
        alternates += "<xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"" +
                      sdk::escapeHtml(base + page.x_default) + "\"/>";
    }
    return "<url><loc>" + sdk::escapeHtml(base + path) + "</loc>" +
           (page.lastmod.empty() ? ""
                                 : "<lastmod>" + sdk::escapeHtml(page.lastmod) + "</lastmod>") +
           alternates + "</url>\n";
}

}  // namespace

Documents buildSitemap(const std::vector<sdk::PageEntry>& pages, const std::string& base_url,
                       const Limits& limits) {
    const std::size_t overhead = std::string(kHead).size() + std::string(kUrlsetOpen).size() +
                                 std::string(kUrlsetClose).size();
    std::vector<std::string> chunks;  // bodies of <urlset> files
    std::vector<std::string> lastmods;
    std::string current;
    std::string newest;
    std::size_t count = 0;
    auto flush = [&] {
        if (count == 0) return;
        chunks.push_back(kHead + std::string(kUrlsetOpen) + current + kUrlsetClose);
        lastmods.push_back(newest);
        current.clear();
        newest.clear();
        count = 0;
    };
    for (const auto& page : pages) {
        if (!page.indexable) continue;
        for (const auto& [locale, path] : page.paths) {
            std::string element = urlElement(page, path, base_url);
            if (count >= limits.max_urls ||
                overhead + current.size() + element.size() > limits.max_bytes) {
                flush();
            }
            current += element;
            if (page.lastmod > newest) newest = page.lastmod;
            ++count;
        }
    }
    flush();
    Documents docs;
    if (chunks.size() <= 1) {
        docs.files.emplace_back(
            "/sitemap.xml",
            chunks.empty() ? kHead + std::string(kUrlsetOpen) + kUrlsetClose : chunks.front());
        return docs;
    }
    std::string index =
        kHead +
        std::string("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (std::size_t i = 0; i < chunks.size(); ++i) {
        std::string path = "/sitemaps/" + std::to_string(i + 1) + ".xml";
        index += "<sitemap><loc>" + sdk::escapeHtml(base_url + path) + "</loc>" +
                 (lastmods[i].empty() ? "" : "<lastmod>" + lastmods[i] + "</lastmod>") +
                 "</sitemap>\n";
    }
    index += "</sitemapindex>\n";
    docs.files.emplace_back("/sitemap.xml", std::move(index));
    for (std::size_t i = 0; i < chunks.size(); ++i) {
        docs.files.emplace_back("/sitemaps/" + std::to_string(i + 1) + ".xml",
                                std::move(chunks[i]));
    }
    return docs;
}

}  // namespace portico::plugins::sitemap
