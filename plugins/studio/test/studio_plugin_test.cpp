#include "studio_plugin.hpp"

#include <catch2/catch.hpp>

#include "portico/sdk/errors.hpp"
#include "portico/testkit/test_host.hpp"

using namespace portico::testkit;
using nlohmann::json;
using portico::plugins::studio::studioUrl;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

RequestBuilder get(const std::string& target, const std::string& host = "studio.test") {
    RequestBuilder builder("GET", target);
    builder.header("Host", host + ":8080");
    return builder;
}

std::string problems(const json& config) {
    try {
        TestHost host(PORTICO_TEST_PLUGIN_FILE, config);
    } catch (const portico::sdk::ConfigError& e) {
        std::string out;
        for (const auto& issue : e.issues()) {
            out += (issue.file.empty() ? issue.path : issue.file) + ": " + issue.message + "\n";
        }
        return out;
    }
    return "";
}

}  // namespace

TEST_CASE("the studio URL keeps the main site's scheme and port") {
    CHECK(studioUrl("http://localhost:8080", "studio.localhost") == "http://studio.localhost:8080");
    CHECK(studioUrl("https://example.com", "studio.example.com") == "https://studio.example.com");
    CHECK(studioUrl("https://example.com/blog", "s.example.com") == "https://s.example.com");
    CHECK(studioUrl("http://[::1]:9000", "s.test") == "http://s.test:9000");
}

TEST_CASE("the studio host gets its pages in both locales, found by the installed site folder") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE, {{"host", "Studio.Test"}});
    for (const auto& route : host.routes()) CHECK(route.spec.host == "studio.test");

    auto de = host.handle(get("/de/"));
    CHECK(de.status == 200);
    CHECK(de.headers.get("Content-Type") == "text/html; charset=utf-8");
    CHECK(de.headers.get("Content-Language") == "de");
    CHECK(de.headers.get("X-Robots-Tag") == "noindex");
    CHECK(contains(de.body, "<html lang=\"de\">"));
    CHECK(contains(de.body, "<link rel=\"canonical\" href=\"http://studio.test:8080/de/\">"));
    CHECK(contains(de.body, "<a href=\"http://localhost:8080/\">Zur Hauptseite</a>"));

    auto en = host.handle(get("/en/"));
    CHECK(en.status == 200);
    CHECK(contains(en.body, "<html lang=\"en\">"));
    CHECK(contains(en.body, "<h1>Welcome to the studio</h1>"));

    auto selector = host.handle(get("/"));
    CHECK(selector.status == 200);
    CHECK(contains(selector.body, "href=\"/de/\""));
    CHECK(contains(selector.body, "href=\"/en/\""));
}

TEST_CASE("robots.txt disallows everything, unknown paths get the studio's own 404") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE, {{"host", "studio.test"}});
    auto robots = host.handle(get("/robots.txt"));
    CHECK(robots.status == 200);
    CHECK(robots.body == "User-agent: *\nDisallow: /\n");

    auto missing = host.handle(get("/en/nothing-here"));
    CHECK(missing.status == 404);
    CHECK(missing.headers.get("X-Robots-Tag") == "noindex");
    CHECK(contains(missing.body, "<html lang=\"en\">"));
    CHECK(contains(missing.body, "Page not found"));
    auto neutral = host.handle(get("/sitemap.xml"));
    CHECK(neutral.status == 404);
    CHECK(contains(neutral.body, "<html lang=\"en\">"));  // the first locale of the test site

    auto slash = host.handle(get("/de?x=1"));
    CHECK(slash.status == 301);
    CHECK(slash.headers.get("Location") == "/de/?x=1");
}

TEST_CASE("assets are immutable under fingerprinted names, and other hosts get no answer") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE, {{"host", "studio.test"}});
    auto page = host.handle(get("/en/"));
    auto at = page.body.find("/assets/studio.");
    REQUIRE(at != std::string::npos);
    std::string css = page.body.substr(at, page.body.find('"', at) - at);
    auto res = host.handle(get(css));
    CHECK(res.status == 200);
    CHECK(res.headers.get("Content-Type") == "text/css; charset=utf-8");
    CHECK(res.headers.get("Cache-Control") == "public, max-age=31536000, immutable");

    auto other = host.handle(get("/en/", "localhost"));
    CHECK(other.status == 404);
    CHECK_FALSE(other.headers.has("X-Robots-Tag"));
}

TEST_CASE("the studio page is in the site model under its own host") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE, {{"host", "studio.test"}, {"noindex", false}});
    auto pages = host.siteModel().pages();
    REQUIRE(pages.size() == 1);
    CHECK(pages[0].host == "studio.test");
    CHECK(pages[0].indexable);
    CHECK(pages[0].paths == std::map<std::string, std::string>{{"en", "/en/"}, {"de", "/de/"}});
    auto page = host.handle(get("/en/"));
    CHECK_FALSE(page.headers.has("X-Robots-Tag"));
    CHECK_FALSE(contains(page.body, "name=\"robots\""));
    CHECK(host.handle(get("/robots.txt")).body == "User-agent: *\nDisallow:\n");
}

TEST_CASE("config errors name the key: missing host, site host reused, bad root, unknown string") {
    CHECK(contains(problems(json::object()), "host"));
    CHECK(problems({{"host", "localhost"}}) ==
          "host: \"localhost\" is also in site.hosts; the studio needs a host of its own\n");
    CHECK(problems({{"host", "studio.test"}, {"root", "/nonexistent/studio"}}) ==
          "root: not a folder, got \"/nonexistent/studio\"\n");
    CHECK(problems({{"host", "studio.test"}, {"strings", {{"en", {{"headline", "x"}}}}}}) ==
          "strings.en.headline: unknown string; the keys are those of en.json\n");
    CHECK(contains(problems({{"host", "studio.test"}, {"locales", {"fr"}}}),
                   "/share/portico/studio/locales/fr.json: catalog for locale \"fr\" not found\n"));
}
