#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>

#include "image_codec.hpp"
#include "portico/testkit/test_host.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using portico::testkit::RequestBuilder;
using portico::testkit::TestHost;

namespace {

// www/templates/partials/picture.mustache as shipped.
const char* const kPicturePartial =
    "<picture>{{#avif}}<source type=\"image/avif\" srcset=\"{{avif}}\" sizes=\"{{sizes}}\">"
    "{{/avif}}{{#webp}}<source type=\"image/webp\" srcset=\"{{webp}}\" sizes=\"{{sizes}}\">"
    "{{/webp}}<img src=\"{{src}}\"{{#srcset}} srcset=\"{{srcset}}\" sizes=\"{{sizes}}\"{{/srcset}}"
    " alt=\"{{alt}}\" width=\"{{width}}\" height=\"{{height}}\"{{#class}} class=\"{{class}}\""
    "{{/class}}{{#priority}} fetchpriority=\"high\"{{/priority}}{{^eager}} loading=\"lazy\" "
    "decoding=\"async\"{{/eager}}></picture>";

// A small two-locale site in a temporary folder, removed on destruction.
class TestSite {
public:
    TestSite() {
        std::random_device rd;
        root_ = fs::temp_directory_path() / ("pages-test-" + std::to_string(rd()));
        write("locales/en.json", R"({"language": {"name": "English"}, "nav": {"about": "About"},
            "selector": {"title": "Choose a language"}, "not_found": {"title": "Not found"}})");
        write("locales/de.json", R"({"language": {"name": "Deutsch"}, "nav": {"about": "Über mich"},
            "selector": {"title": "Sprache wählen"}, "not_found": {"title": "Nicht gefunden"}})");
        write("www/templates/partials/head.mustache",
              "<title>{{title}}</title><meta name=\"description\" content=\"{{description}}\">"
              "{{#canonical}}<link rel=\"canonical\" href=\"{{canonical}}\">{{/canonical}}"
              "{{#alternates}}<link rel=\"alternate\" hreflang=\"{{hreflang}}\" href=\"{{href}}\">"
              "{{/alternates}}{{#x_default}}<link rel=\"alternate\" hreflang=\"x-default\" "
              "href=\"{{x_default}}\">{{/x_default}}<meta property=\"og:locale\" "
              "content=\"{{og.locale}}\">{{#og.locale_alternates}}<meta property=\"og:locale:"
              "alternate\" content=\"{{.}}\">{{/og.locale_alternates}}");
        write("www/templates/layouts/page.mustache",
              "<!doctype html><html lang=\"{{lang}}\"><head>{{> head}}</head><body>"
              "{{#switcher}}<a hreflang=\"{{lang}}\" href=\"{{href}}\">{{name}}</a>{{/switcher}}"
              "<main>{{{content}}}</main>{{#children}}<a class=\"child\" href=\"{{url}}\">"
              "{{title}}</a>{{/children}}<a href=\"{{#url}}about{{/url}}\">{{t.nav.about}}</a>"
              "<link rel=\"stylesheet\" href=\"{{#asset}}site.css{{/asset}}\"></body></html>");
        write("www/templates/layouts/selector.mustache",
              "<!doctype html><html lang=\"{{lang}}\"><head>{{> head}}</head><body>"
              "{{#locales}}<a href=\"{{href}}\">{{name}}</a>{{/locales}}</body></html>");
        write("www/assets/site.css", "body{margin:0}");
        write("www/templates/partials/picture.mustache", kPicturePartial);
        portico::plugins::pages::Raster pixels;
        pixels.width = 300;
        pixels.height = 200;
        pixels.rgba.assign(300 * 200 * 4, 200);
        write("www/assets/img/me.png", portico::plugins::pages::encodeImage(
                                           pixels, portico::plugins::pages::ImageFormat::kPng, 80));
        page("en/index.md", "Home", "Welcome", "Hello. See [projects](projects/index.md).");
        page("de/index.md", "Start", "Willkommen", "Hallo.");
        page("en/about.md", "About", "About me", "![Me at work](/assets/img/me.png)",
             "date: 2025-12-24\n");
        page("de/about.md", "Über mich", "Über mich", "Text.", "slug: ueber-mich\n");
        page("en/projects/index.md", "Projects", "What I built", "List.");
        page("de/projects/index.md", "Projekte", "Was ich baute", "Liste.", "slug: projekte\n");
        page("en/projects/alpha.md", "Alpha", "A", "Back to [about](../about.md#cv).",
             "weight: 2\n");
        page("en/projects/beta.md", "Beta", "B", "B.", "weight: 1\n");
        page("de/projects/alpha.md", "Alpha", "A", "A.");
        page("en/404.md", "Not found", "Nothing here", "This page does not exist.");
        page("de/404.md", "Nicht gefunden", "Nichts hier", "Diese Seite gibt es nicht.");
    }
    ~TestSite() {
        std::error_code ec;
        fs::remove_all(root_, ec);
    }
    void write(const std::string& rel, const std::string& text) const {
        fs::create_directories((root_ / rel).parent_path());
        std::ofstream(root_ / rel, std::ios::binary) << text;
    }
    void page(const std::string& rel, const std::string& title, const std::string& description,
              const std::string& body, const std::string& extra = "") const {
        write("www/content/" + rel, "---\ntitle: " + title + "\ndescription: " + description +
                                        "\n" + extra + "---\n" + body + "\n");
    }
    json config() const {
        return {{"root", (root_ / "www").string()},
                {"locales_dir", (root_ / "locales").string()},
                {"owner", {{"name", "Ada Example"}, {"photo", "img/me.png"}}}};
    }
    std::string path(const std::string& rel) const { return (root_ / rel).string(); }

private:
    fs::path root_;
};

bool has(const std::string& body, const std::string& text) {
    return body.find(text) != std::string::npos;
}

bool logged(const TestHost& host, const std::string& text) {
    for (const auto& line : host.logLines()) {
        if (has(line, text)) return true;
    }
    return false;
}

std::vector<portico::sdk::ConfigIssue> issuesOf(const TestSite& site) {
    try {
        TestHost host(PORTICO_TEST_PLUGIN_FILE, site.config());
    } catch (const portico::sdk::ConfigError& e) {
        return e.issues();
    }
    return {};
}

}  // namespace

TEST_CASE("a page carries lang, canonical, every hreflang version and x-default") {
    TestSite site;
    TestHost host(PORTICO_TEST_PLUGIN_FILE, site.config());
    auto res = host.handle(RequestBuilder("GET", "/en/projects/"));
    REQUIRE(res.status == 200);
    CHECK(res.headers.get("Content-Type") == "text/html; charset=utf-8");
    CHECK(res.headers.get("Cache-Control") == "no-cache");
    const std::string& b = res.body;
    CHECK(has(b, "<html lang=\"en\">"));
    CHECK(has(b, "<title>Projects</title>"));
    CHECK(has(b, "<link rel=\"canonical\" href=\"http://localhost:8080/en/projects/\">"));
    CHECK(has(
        b, "<link rel=\"alternate\" hreflang=\"en\" href=\"http://localhost:8080/en/projects/\">"));
    CHECK(has(
        b, "<link rel=\"alternate\" hreflang=\"de\" href=\"http://localhost:8080/de/projekte/\">"));
    CHECK(has(b, "hreflang=\"x-default\" href=\"http://localhost:8080/en/projects/\">"));
    CHECK(has(b,
              "<meta property=\"og:locale\" content=\"en_US\"><meta "
              "property=\"og:locale:alternate\" content=\"de_DE\">"));
    CHECK(has(b, "<a hreflang=\"de\" href=\"/de/projekte/\">Deutsch</a>"));
    // children sorted by weight
    CHECK(has(b,
              "<a class=\"child\" href=\"/en/projects/beta/\">Beta</a><a class=\"child\" "
              "href=\"/en/projects/alpha/\">Alpha</a>"));
    CHECK(has(b, "<a href=\"/en/about/\">About</a>"));
}

TEST_CASE("the home pages' x-default is the language selector at /") {
    TestSite site;
    TestHost host(PORTICO_TEST_PLUGIN_FILE, site.config());
    auto home = host.handle(RequestBuilder("GET", "/de/"));
    CHECK(has(home.body, "hreflang=\"x-default\" href=\"http://localhost:8080/\">"));
    auto root = host.handle(RequestBuilder("GET", "/"));
    CHECK(root.status == 200);
    CHECK(has(root.body, "<title>Choose a language / Sprache wählen</title>"));
    CHECK(has(root.body, "<a href=\"/en/\">English</a><a href=\"/de/\">Deutsch</a>"));
    CHECK(has(root.body, "<link rel=\"canonical\" href=\"http://localhost:8080/\">"));
}

TEST_CASE("links and images in Markdown resolve to URLs and fingerprinted assets") {
    TestSite site;
    TestHost host(PORTICO_TEST_PLUGIN_FILE, site.config());
    auto alpha = host.handle(RequestBuilder("GET", "/en/projects/alpha/"));
    CHECK(has(alpha.body, "<a href=\"/en/about/#cv\">about</a>"));
    auto about = host.handle(RequestBuilder("GET", "/en/about/"));
    CHECK(has(about.body, "alt=\"Me at work\" width=\"300\" height=\"200\" loading=\"lazy\""));
    auto css_pos = about.body.find("/assets/site.");
    REQUIRE(css_pos != std::string::npos);
    std::string css_url = about.body.substr(css_pos, about.body.find('"', css_pos) - css_pos);
    CHECK(css_url.size() == std::string("/assets/site.0123456789.css").size());
    auto css = host.handle(RequestBuilder("GET", css_url));
    CHECK(css.status == 200);
    CHECK(css.body == "body{margin:0}");
    CHECK(css.headers.get("Cache-Control") == "public, max-age=31536000, immutable");
    CHECK(host.handle(RequestBuilder("GET", "/assets/site.css")).status == 404);
}

TEST_CASE("a path without its trailing slash is redirected once with 301") {
    TestSite site;
    TestHost host(PORTICO_TEST_PLUGIN_FILE, site.config());
    auto res = host.handle(RequestBuilder("GET", "/de/projekte?x=1"));
    CHECK(res.status == 301);
    CHECK(res.headers.get("Location") == "/de/projekte/?x=1");
    CHECK(host.handle(RequestBuilder("GET", "/en")).headers.get("Location") == "/en/");
    CHECK(host.handle(RequestBuilder("GET", "/en/nothing")).status == 404);
}

TEST_CASE("unknown paths get the 404 page of their locale, or a neutral one") {
    TestSite site;
    TestHost host(PORTICO_TEST_PLUGIN_FILE, site.config());
    auto de = host.handle(RequestBuilder("GET", "/de/gibt-es-nicht/"));
    CHECK(de.status == 404);
    CHECK(has(de.body, "Diese Seite gibt es nicht."));
    CHECK_FALSE(has(de.body, "rel=\"canonical\""));
    auto other = host.handle(RequestBuilder("GET", "/nowhere"));
    CHECK(other.status == 404);
    CHECK(has(other.body, "<title>Not found / Nicht gefunden</title>"));
}

TEST_CASE("pages are published to the site model with lastmod from date or first sight") {
    TestSite site;
    TestHost host(PORTICO_TEST_PLUGIN_FILE, site.config());
    auto pages = host.siteModel().pages();
    REQUIRE(pages.size() == 5);
    std::map<std::string, portico::sdk::PageEntry> by_key;
    for (const auto& p : pages) by_key[p.key] = p;
    CHECK(by_key["about"].paths ==
          std::map<std::string, std::string>{{"de", "/de/ueber-mich/"}, {"en", "/en/about/"}});
    CHECK(by_key["about"].lastmod ==
          "2026-01-01");  // de has no date: first seen on the fake clock's day
    CHECK(by_key["about"].x_default == "/en/about/");
    CHECK(by_key["index"].x_default == "/");
    CHECK(by_key["projects/beta"].paths.size() == 1);
    // site.css and me.png, and me.png's variants (300 px: avif, webp, png; the og:image), so
    // that `portico export` carries every file a page names.
    CHECK(host.siteModel().assets().size() == 2 + 4);
}

TEST_CASE("content errors name the file and line") {
    TestSite site;
    SECTION("a link to a page that does not exist") {
        site.page("en/projects/beta.md", "Beta", "B", "Line one.\n\nSee [gamma](gamma.md).");
        auto issues = issuesOf(site);
        REQUIRE(issues.size() == 1);
        CHECK(issues[0].file == site.path("www") + "/content/en/projects/beta.md");
        CHECK(issues[0].line == 7);
        CHECK(issues[0].message == "link to \"gamma.md\": no such page or asset");
    }
    SECTION("a missing image and an image without alt text") {
        site.page("de/about.md", "Ü", "Ü",
                  "![Bild](/assets/img/nope.png)\n\n![](/assets/img/me.png)");
        auto issues = issuesOf(site);
        REQUIRE(issues.size() == 2);
        CHECK(issues[0].file == site.path("www") + "/content/de/about.md");
        CHECK(issues[0].line == 5);
        CHECK(issues[0].message ==
              "image \"/assets/img/nope.png\": not found in the asset folder (write it as "
              "/assets/PATH)");
        CHECK(issues[1].message == "image \"/assets/img/me.png\": alt text is required");
    }
    SECTION("a string missing in one locale") {
        site.write("locales/de.json", R"({"language": {"name": "Deutsch"}, "nav": {},
            "selector": {"title": "Sprache wählen"}, "not_found": {"title": "Nicht gefunden"}})");
        auto issues = issuesOf(site);
        REQUIRE(issues.size() == 1);
        CHECK(issues[0].file == site.path("locales") + "/de.json");
        CHECK(issues[0].message ==
              "string \"nav.about\" is missing (it is in " + site.path("locales") + "/en.json)");
    }
    SECTION("an unknown front-matter key") {
        site.write("www/content/en/about.md",
                   "---\ntitle: About\ndescription: D\ndescripton: x\n---\n");
        auto issues = issuesOf(site);
        REQUIRE(issues.size() == 1);
        CHECK(issues[0].file == site.path("www") + "/content/en/about.md");
        CHECK(issues[0].line == 4);
        CHECK(issues[0].message ==
              "unknown front-matter key \"descripton\"; did you mean \"description\"?");
    }
}

TEST_CASE("a bad images block is refused with the path of each key before anything is built") {
    TestSite site;
    json config = site.config();
    config["images"] = {{"widths", {0, 800}},
                        {"formats", {"gif"}},
                        {"quality", {{"avif", 101}}},
                        {"sizse", json::object()}};
    std::vector<portico::sdk::ConfigIssue> issues;
    try {
        TestHost host(PORTICO_TEST_PLUGIN_FILE, config);
    } catch (const portico::sdk::ConfigError& e) {
        issues = e.issues();
    }
    std::map<std::string, std::string> by_path;
    for (const auto& issue : issues) by_path[issue.path] += issue.message;
    CHECK(issues.size() == 4);
    CHECK(by_path.count("images.widths[0]") == 1);
    CHECK(by_path.count("images.formats[0]") == 1);
    CHECK(by_path.count("images.quality.avif") == 1);
    CHECK(by_path["images"] == "unknown key 'sizse'; did you mean 'sizes'?");
    CHECK_FALSE(fs::exists(site.path("data")));
}

TEST_CASE("a second build of the site reads every image variant from the cache") {
    TestSite site;
    const std::string data = site.path("data");
    portico::testkit::TestHostOptions options;
    options.data_dir = data;
    std::string first_body;
    {
        TestHost host(PORTICO_TEST_PLUGIN_FILE, site.config(), options);
        CHECK(logged(host,
                     "cache: 0 reused, 4 built, 0 rebuilt (corrupt file), 0 removed "
                     "(unused); 1 sources decoded"));
        first_body = host.handle(RequestBuilder("GET", "/en/about/")).body;
    }
    CHECK(std::distance(fs::directory_iterator(data + "/cache/images"), {}) == 4);
    TestHost again(PORTICO_TEST_PLUGIN_FILE, site.config(), options);
    CHECK(logged(again,
                 "cache: 4 reused, 0 built, 0 rebuilt (corrupt file), 0 removed "
                 "(unused); 0 sources decoded"));
    CHECK(again.handle(RequestBuilder("GET", "/en/about/")).body == first_body);
}

TEST_CASE("templates see what the site's plugins publish about visitors' data as facts") {
    TestSite site;
    site.write("www/templates/layouts/privacy.mustache",
               "<main>{{{content}}}{{#facts.insights}}<p>kept {{retention_days}} days</p>"
               "{{/facts.insights}}{{^facts.insights}}<p>no counting</p>{{/facts.insights}}"
               "{{#facts.analytics}}<p>script from {{origin}}</p>{{/facts.analytics}}</main>");
    site.page("en/privacy.md", "Privacy", "Privacy policy", "Text.", "layout: privacy\n");
    site.page("de/privacy.md", "Datenschutz", "Datenschutz", "Text.",
              "slug: datenschutz\nlayout: privacy\n");
    SECTION("published facts are rendered, escaped like every value") {
        portico::testkit::TestHostOptions options;
        options.site_facts = {{"insights", {{"retention_days", 90}}},
                              {"analytics", {{"origin", "https://a.example\"><script>"}}}};
        TestHost host(PORTICO_TEST_PLUGIN_FILE, site.config(), options);
        const auto res = host.handle(RequestBuilder("GET", "/en/privacy/"));
        REQUIRE(res.status == 200);
        const std::string& body = res.body;
        CHECK(has(body, "<p>kept 90 days</p>"));
        CHECK_FALSE(has(body, "no counting"));
        CHECK(has(body, "script from https://a.example&quot;&gt;&lt;script&gt;"));
        CHECK_FALSE(has(body, "<script>"));
    }
    SECTION("without facts the page says so") {
        TestHost host(PORTICO_TEST_PLUGIN_FILE, site.config());
        const auto res = host.handle(RequestBuilder("GET", "/de/datenschutz/"));
        REQUIRE(res.status == 200);
        CHECK(has(res.body, "<p>no counting</p>"));
        CHECK_FALSE(has(res.body, "script from"));
    }
}
