#include "sitemap.hpp"

#include <catch2/catch.hpp>

#include "portico/testkit/test_host.hpp"
#include "robots.hpp"

using namespace portico::plugins::sitemap;
using portico::sdk::PageEntry;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
    return n;
}

PageEntry entry(const std::string& key, std::map<std::string, std::string> paths,
                const std::string& x_default, bool indexable = true) {
    PageEntry e;
    e.key = key;
    e.paths = std::move(paths);
    e.x_default = x_default;
    e.indexable = indexable;
    e.lastmod = "2026-03-01";
    return e;
}

}  // namespace

TEST_CASE("each localized URL is listed once with every alternate and x-default") {
    auto docs = buildSitemap(
        {entry("about", {{"de", "/de/ueber-mich/"}, {"en", "/en/about/"}}, "/de/ueber-mich/"),
         entry("imprint", {{"de", "/de/impressum/"}}, "/de/impressum/", false)},
        "https://example.com");
    REQUIRE(docs.files.size() == 1);
    CHECK(docs.files[0].first == "/sitemap.xml");
    CHECK(docs.files[0].second ==
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
          "xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n"
          "<url><loc>https://example.com/de/ueber-mich/</loc><lastmod>2026-03-01</lastmod>"
          "<xhtml:link rel=\"alternate\" hreflang=\"de\" "
          "href=\"https://example.com/de/ueber-mich/\"/>"
          "<xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://example.com/en/about/\"/>"
          "<xhtml:link rel=\"alternate\" hreflang=\"x-default\" "
          "href=\"https://example.com/de/ueber-mich/\"/></url>\n"
          "<url><loc>https://example.com/en/about/</loc><lastmod>2026-03-01</lastmod>"
          "<xhtml:link rel=\"alternate\" hreflang=\"de\" "
          "href=\"https://example.com/de/ueber-mich/\"/>"
          "<xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://example.com/en/about/\"/>"
          "<xhtml:link rel=\"alternate\" hreflang=\"x-default\" "
          "href=\"https://example.com/de/ueber-mich/\"/></url>\n"
          "</urlset>\n");
}

TEST_CASE("a site of more than 50,000 URLs gets a sitemap index over parts within the limits") {
    std::vector<PageEntry> pages;
    for (int i = 0; i < 25001; ++i) {
        std::string n = std::to_string(i);
        pages.push_back(entry("p" + n, {{"de", "/de/p" + n + "/"}, {"en", "/en/p" + n + "/"}},
                              "/de/p" + n + "/"));
    }
    auto docs = buildSitemap(pages, "https://example.com");
    REQUIRE(docs.files.size() == 3);
    const auto& index = docs.files[0].second;
    CHECK(index.find("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">") !=
          std::string::npos);
    CHECK(index.find("<sitemap><loc>https://example.com/sitemaps/1.xml</loc><lastmod>2026-03-01</"
                     "lastmod></sitemap>") != std::string::npos);
    CHECK(docs.files[1].first == "/sitemaps/1.xml");
    CHECK(count(docs.files[1].second, "<url>") == 50000);
    CHECK(count(docs.files[2].second, "<url>") == 2);
    CHECK(docs.files[1].second.size() <= 50u * 1024 * 1024);
}

TEST_CASE("the byte limit also splits the sitemap") {
    std::vector<PageEntry> pages;
    for (int i = 0; i < 20; ++i) {
        std::string n = std::to_string(i);
        pages.push_back(entry("p" + n, {{"en", "/en/p" + n + "/"}}, ""));
    }
    Limits limits;
    limits.max_bytes = 1024;
    auto docs = buildSitemap(pages, "https://example.com", limits);
    REQUIRE(docs.files.size() > 2);
    std::size_t urls = 0;
    for (std::size_t i = 1; i < docs.files.size(); ++i) {
        CHECK(docs.files[i].second.size() <= 1024);
        urls += count(docs.files[i].second, "<url>");
    }
    CHECK(urls == 20);
}

TEST_CASE("robots.txt lists each group and an absolute Sitemap line") {
    HostPolicy open;
    open.rules = {RuleGroup{}};
    CHECK(robotsTxt(open, "https://example.com/sitemap.xml") ==
          "User-agent: *\nDisallow:\n\nSitemap: https://example.com/sitemap.xml\n");
    HostPolicy closed;
    closed.rules = {RuleGroup{"*", {}, {"/"}}, RuleGroup{"GPTBot", {"/public/"}, {"/"}}};
    CHECK(robotsTxt(closed, "") ==
          "User-agent: *\nDisallow: /\n\nUser-agent: GPTBot\nAllow: /public/\nDisallow: /\n");
}

TEST_CASE("the plugin serves robots.txt and an empty sitemap when no page was published") {
    portico::testkit::TestHost host(PORTICO_TEST_PLUGIN_FILE,
                                    {{"hosts",
                                      {{{"host", ""}},
                                       {{"host", "studio.example.com"},
                                        {"sitemap", false},
                                        {"rules", {{{"disallow", {"/"}}}}}}}}});
    auto robots = host.handle(portico::testkit::RequestBuilder("GET", "/robots.txt"));
    CHECK(robots.status == 200);
    CHECK(robots.body ==
          "User-agent: *\nDisallow:\n\nSitemap: http://localhost:8080/sitemap.xml\n");
    auto studio = host.handle(portico::testkit::RequestBuilder("GET", "/robots.txt")
                                  .header("Host", "studio.example.com"));
    CHECK(studio.body == "User-agent: *\nDisallow: /\n");
    auto map = host.handle(portico::testkit::RequestBuilder("GET", "/sitemap.xml"));
    CHECK(map.headers.get("Content-Type") == "application/xml; charset=utf-8");
    CHECK(count(map.body, "<url>") == 0);
    CHECK(host.handle(portico::testkit::RequestBuilder("GET", "/sitemaps/1.xml")).status == 404);
}
