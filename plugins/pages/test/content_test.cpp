#include "content.hpp"

#include <catch2/catch.hpp>

#include "head.hpp"
#include "pages_plugin.hpp"

using namespace portico::plugins::pages;

namespace {

SourcePage page(const std::string& locale, const std::string& rel, const std::string& slug = "",
                bool has_slug = false) {
    SourcePage p;
    p.locale = locale;
    p.rel = rel;
    p.file = locale + "/" + rel;
    p.source.meta.slug = slug;
    p.source.meta.has_slug = has_slug;
    return p;
}

}  // namespace

TEST_CASE("file paths map to page keys") {
    CHECK(keyForPath("index.md") == "index");
    CHECK(keyForPath("about.md") == "about");
    CHECK(keyForPath("projects/index.md") == "projects");
    CHECK(keyForPath("projects/alpha.md") == "projects/alpha");
}

TEST_CASE("URLs come from the locale, the folders' slugs and the page's slug") {
    std::vector<SourcePage> pages = {
        page("de", "index.md"),
        page("de", "about.md", "ueber-mich", true),
        page("de", "projects/index.md", "projekte", true),
        page("de", "projects/alpha.md"),
        page("de", "projects/beta.md", "beta-plattform", true),
        page("en", "projects/index.md"),
        page("en", "projects/alpha.md"),
        page("en", "404.md"),
    };
    Issues issues;
    assignUrls(pages, issues);
    CHECK(issues.empty());
    const std::pair<const char*, const char*> expected[] = {
        {"/de/", "index"},
        {"/de/ueber-mich/", "about"},
        {"/de/projekte/", "projects"},
        {"/de/projekte/alpha/", "projects/alpha"},
        {"/de/projekte/beta-plattform/", "projects/beta"},
        {"/en/projects/", "projects"},
        {"/en/projects/alpha/", "projects/alpha"},
        {"", "404"},
    };
    for (std::size_t i = 0; i < pages.size(); ++i) {
        CHECK(pages[i].url == expected[i].first);
        CHECK(pages[i].key == expected[i].second);
    }
    CHECK(pages.back().not_found);
}

TEST_CASE("two pages with one URL or one key in a locale are errors") {
    std::vector<SourcePage> pages = {page("en", "about.md"), page("en", "me.md", "about", true)};
    pages[1].source.meta.key = "about";
    Issues issues;
    assignUrls(pages, issues);
    REQUIRE(issues.size() == 2);
    CHECK(issues[0].message == "url \"/en/about/\" is also the url of en/about.md");
    CHECK(issues[1].message == "key \"about\" is also the key of en/about.md");
}

TEST_CASE("head data lists every version, x-default and the og locales") {
    HeadInput in;
    in.base_url = "https://example.com";
    in.locale = "en";
    in.path = "/en/projects/";
    in.locales = {"de", "en"};
    in.versions = {{"de", "/de/projekte/"}, {"en", "/en/projects/"}};
    in.x_default = "/de/projekte/";
    in.title = "Projects";
    in.description = "What I built";
    in.image = "https://example.com/assets/img/me.1234567890.png";
    in.image_alt = "Portrait";
    auto d = headData(in);
    CHECK(d["lang"] == "en");
    CHECK(d["canonical"] == "https://example.com/en/projects/");
    CHECK(d["alternates"].dump() ==
          R"([{"href":"https://example.com/de/projekte/","hreflang":"de"},)"
          R"({"href":"https://example.com/en/projects/","hreflang":"en"}])");
    CHECK(d["x_default"] == "https://example.com/de/projekte/");
    CHECK(d["og"]["url"] == d["canonical"]);
    CHECK(d["og"]["locale"] == "en_US");
    CHECK(d["og"]["locale_alternates"].dump() == R"(["de_DE"])");
}

TEST_CASE("og locales are language and region") {
    CHECK(ogLocale("de") == "de_DE");
    CHECK(ogLocale("en") == "en_US");
    CHECK(ogLocale("en-GB") == "en_GB");
    CHECK(ogLocale("fi") == "fi_FI");
}

TEST_CASE("the preferred locale comes from the cookie, then Accept-Language") {
    const std::vector<std::string> locales = {"de", "en"};
    struct Case {
        const char* cookie;
        const char* accept;
        const char* locale;
    };
    const Case cases[] = {
        {"", "en-US,en;q=0.9,de;q=0.8", "en"},
        {"", "de-AT", "de"},
        {"", "fr, de;q=0.1", "de"},
        {"", "fr", ""},
        {"", "en;q=0, de;q=0", ""},
        {"theme=dark; lang=en", "de", "en"},
        {"lang=fr", "de", "de"},
        {"", "", ""},
    };
    for (const auto& c : cases) {
        INFO(c.cookie << " | " << c.accept);
        CHECK(preferredLocale(c.cookie, "lang", c.accept, locales) == c.locale);
    }
}

TEST_CASE("paths with dot segments or NUL bytes are unsafe") {
    CHECK(unsafePath("/assets/../x"));
    CHECK(unsafePath("/.."));
    CHECK(unsafePath("/a/./b"));
    CHECK(unsafePath(std::string("/a\0b", 4)));
    CHECK_FALSE(unsafePath("/assets/site.1234.css"));
    CHECK_FALSE(unsafePath("/a/..b/"));
}
