// Virtual hosts through the real process: the studio plugin on its own host name beside the
// main site, and the host's policy for unknown Host names and www. redirects.
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <string>

#include "harness.hpp"

using namespace portico::tests;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// A minimal two-locale main site for the pages plugin.
void writeMainSite(const TempDir& dir) {
    dir.write("locales/de.json",
              R"({"language": {"name": "Deutsch"}, "selector": {"title": "Start"},
        "not_found": {"title": "Nicht gefunden"}})");
    dir.write("locales/en.json",
              R"({"language": {"name": "English"}, "selector": {"title": "Start"},
        "not_found": {"title": "Not found"}})");
    dir.write("www/templates/layouts/page.mustache",
              "<!doctype html><html lang=\"{{lang}}\"><head><title>{{title}}</title></head>"
              "<body>MAIN {{{content}}}</body></html>");
    dir.write("www/templates/layouts/selector.mustache",
              "<!doctype html><html lang=\"{{lang}}\"><head><title>Start</title></head><body>"
              "MAIN SELECTOR</body></html>");
    dir.write("www/content/de/index.md", "---\ntitle: Start\ndescription: Start\n---\nHallo.\n");
    dir.write("www/content/en/index.md", "---\ntitle: Home\ndescription: Home\n---\nHello.\n");
}

std::string config(const TempDir& dir, const std::string& site_extra,
                   const std::string& studio = R"({"host": "studio.example.com"})") {
    return "{\"listen\": {\"address\": \"127.0.0.1\", \"port\": 0},\n"
           "\"data_dir\": \"" +
           dir.path() +
           "/data\",\n"
           "\"site\": {\"base_url\": \"https://example.com\", \"hosts\": [\"example.com\"],"
           " \"locales\": [\"de\", \"en\"]" +
           site_extra +
           "},\n"
           "\"plugin_dirs\": [\"" +
           pluginDir() +
           "\"],\n"
           "\"plugins\": {\"pages\": {\"root\": \"" +
           dir.path() + "/www\", \"locales_dir\": \"" + dir.path() +
           "/locales\"}, \"studio\": " + studio + ", \"sitemap\": {}}}\n";
}

Response get(int port, const std::string& target, const std::string& host) {
    return request(port, "GET", target, {{"Host", host}});
}

}  // namespace

TEST_CASE(
    "the studio host gets its own bilingual site, robots.txt and 404, the main site keeps its "
    "own") {
    TempDir dir;
    writeMainSite(dir);
    Server server(config(dir, ""));
    const int port = server.port();

    for (const std::string locale : {"de", "en"}) {
        INFO(locale);
        auto page = get(port, "/" + locale + "/", "Studio.Example.com:8443");
        CHECK(page.status == 200);
        CHECK(contains(page.body, "<html lang=\"" + locale + "\">"));
        CHECK(contains(page.body, "<meta name=\"robots\" content=\"noindex\">"));
        CHECK(contains(page.body, "href=\"https://studio.example.com/" + locale + "/\""));
        CHECK(page.header("x-robots-tag") == "noindex");
        CHECK(page.header("content-language") == locale);
        CHECK_FALSE(contains(page.body, "MAIN"));
    }
    auto selector = get(port, "/", "studio.example.com");
    CHECK(selector.status == 200);
    CHECK(contains(selector.body, "href=\"/en/\""));

    auto robots = get(port, "/robots.txt", "studio.example.com");
    CHECK(robots.status == 200);
    CHECK(robots.body == "User-agent: *\nDisallow: /\n");
    auto missing = get(port, "/en/no-such-page", "studio.example.com");
    CHECK(missing.status == 404);
    CHECK(contains(missing.body, "<html lang=\"en\">"));
    CHECK(contains(missing.body, "Page not found"));
    CHECK(get(port, "/sitemap.xml", "studio.example.com").status == 404);

    // The main site keeps its own pages, robots.txt and sitemap, without the studio's pages.
    auto main = get(port, "/en/", "example.com");
    CHECK(main.status == 200);
    CHECK(contains(main.body, "MAIN"));
    CHECK_FALSE(main.has("x-robots-tag"));
    auto main_robots = get(port, "/robots.txt", "example.com");
    CHECK(contains(main_robots.body, "Sitemap: https://example.com/sitemap.xml"));
    auto sitemap = get(port, "/sitemap.xml", "example.com");
    CHECK(contains(sitemap.body, "https://example.com/en/"));
    CHECK_FALSE(contains(sitemap.body, "studio"));
}

TEST_CASE("unknown host names get the main site, 404 or 421 as site.unknown_hosts says") {
    TempDir dir;
    writeMainSite(dir);
    SECTION("serve (the default)") {
        Server server(config(dir, ""));
        auto res = get(server.port(), "/en/", "elsewhere.example");
        CHECK(res.status == 200);
        CHECK(contains(res.body, "MAIN"));
    }
    for (const std::string mode : {"404", "421"}) {
        DYNAMIC_SECTION(mode) {
            Server server(config(dir, ", \"unknown_hosts\": \"" + mode + "\""));
            const int port = server.port();
            auto res = get(port, "/en/", "elsewhere.example");
            CHECK(res.status == std::stoi(mode));
            CHECK_FALSE(contains(res.body, "MAIN"));
            CHECK(res.header("x-request-id") != "");  // header hooks still ran
            // Listed hosts (any case, any port, a trailing dot), plugin-claimed hosts and
            // loopback names are known.
            CHECK(get(port, "/en/", "EXAMPLE.com:443").status == 200);
            CHECK(get(port, "/en/", "example.com.").status == 200);
            CHECK(get(port, "/de/", "studio.example.com").status == 200);
            CHECK(get(port, "/en/", "127.0.0.1:8080").status == 200);
            CHECK(get(port, "/en/", "localhost").status == 200);
            CHECK(get(port, "/en/", "www.example.com").status == std::stoi(mode));
        }
    }
}

TEST_CASE("with site.redirect_www, www. of a known host is a 301 to the same path and query") {
    TempDir dir;
    writeMainSite(dir);
    Server server(config(dir, ", \"redirect_www\": true, \"unknown_hosts\": \"421\""));
    const int port = server.port();
    auto res = get(port, "/en/a%20b?x=1&y=2", "WWW.example.com");
    CHECK(res.status == 301);
    CHECK(res.header("location") == "https://example.com/en/a%20b?x=1&y=2");
    auto with_port = get(port, "/", "www.example.com:8443");
    CHECK(with_port.header("location") == "https://example.com:8443/");
    auto studio = get(port, "/de/", "www.studio.example.com");
    CHECK(studio.status == 301);
    CHECK(studio.header("location") == "https://studio.example.com/de/");
    CHECK(get(port, "/", "www.elsewhere.example").status == 421);
    CHECK(get(port, "/en/", "example.com").status == 200);
}

TEST_CASE("a bad site.unknown_hosts and a studio without host are refused before serving") {
    TempDir dir;
    writeMainSite(dir);
    auto bad_mode = dir.write("mode.json", config(dir, ", \"unknown_hosts\": \"drop\""));
    auto r = runPortico({"check-config", "--config", bad_mode});
    CHECK(r.status == 1);
    CHECK(contains(r.err,
                   "site.unknown_hosts: must be one of \"serve\", \"404\", \"421\"; got "
                   "\"drop\""));
    auto no_host = dir.write("studio.json", config(dir, "", "{}"));
    r = runPortico({"check-config", "--config", no_host});
    CHECK(r.status == 1);
    INFO(r.err);
    CHECK(contains(r.err, "plugins.studio"));
    CHECK(contains(r.err, "host"));
}

TEST_CASE("a studio asset that is a symlink out of its folder is not served, as in pages") {
    namespace fs = std::filesystem;
    TempDir dir;
    writeMainSite(dir);
    const std::string studio_root = dir.path() + "/studio";
    fs::copy(sourceDir() + "/plugins/studio/site", studio_root, fs::copy_options::recursive);
    const std::string secret = dir.write("secret.css", "body{--leak:'TOP-SECRET'}\n");
    fs::create_symlink(secret, studio_root + "/assets/leak.css");
    // studio's fingerprint: the first 10 hex digits of the SHA-1 of the body
    std::string sha;
    if (FILE* pipe = ::popen(("sha1sum " + secret).c_str(), "r")) {
        char buf[64] = {};
        if (std::fgets(buf, sizeof buf, pipe) != nullptr) sha.assign(buf, 10);
        ::pclose(pipe);
    }
    REQUIRE(sha.size() == 10);
    Server server(
        config(dir, "", R"({"host": "studio.example.com", "root": ")" + studio_root + R"("})"));
    auto leak = get(server.port(), "/assets/leak." + sha + ".css", "studio.example.com");
    CHECK(leak.status == 404);
    CHECK_FALSE(contains(leak.body, "TOP-SECRET"));
    CHECK(get(server.port(), "/", "studio.example.com").status == 200);
    CHECK(contains(server.process().out() + server.process().err(),
                   studio_root + "/assets/leak.css: symlink leads outside the asset folder; "
                                 "not served"));
}
