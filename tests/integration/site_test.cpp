// The site engine through the real process: pages + sitemap on a small literal site in a
// temporary folder, and one crawl of the shipped site checked with libxml2's parsers.
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <thread>

#include "harness.hpp"

namespace fs = std::filesystem;
using namespace portico::tests;

namespace {

void page(const TempDir& dir, const std::string& rel, const std::string& front,
          const std::string& body) {
    dir.write("www/content/" + rel, "---\n" + front + "\n---\n" + body + "\n");
}

// A small two-locale site, not the shipped one, so content edits cannot break these tests.
void writeSite(const TempDir& dir) {
    dir.write("locales/de.json",
              R"({"language": {"name": "Deutsch"}, "selector": {"title": "Willkommen"},
        "not_found": {"title": "Nicht gefunden"}})");
    dir.write("locales/en.json",
              R"({"language": {"name": "English"}, "selector": {"title": "Welcome"},
        "not_found": {"title": "Not found"}})");
    dir.write("www/templates/partials/head.mustache",
              "<title>{{title}}</title><meta name=\"description\" content=\"{{description}}\">"
              "{{#canonical}}<link rel=\"canonical\" href=\"{{canonical}}\">{{/canonical}}"
              "{{#alternates}}<link rel=\"alternate\" hreflang=\"{{hreflang}}\" "
              "href=\"{{href}}\">{{/alternates}}"
              "{{#x_default}}<link rel=\"alternate\" hreflang=\"x-default\" "
              "href=\"{{x_default}}\">{{/x_default}}");
    dir.write("www/templates/layouts/page.mustache",
              "<!doctype html><html lang=\"{{lang}}\"><head>{{> head}}<link rel=\"stylesheet\" "
              "href=\"{{#asset}}site.css{{/asset}}\"></head><body>{{{content}}}</body></html>");
    dir.write("www/templates/layouts/selector.mustache",
              "<!doctype html><html lang=\"{{lang}}\"><head>{{> head}}</head><body>"
              "{{#locales}}<a href=\"{{href}}\">{{name}}</a>{{/locales}}</body></html>");
    dir.write("www/assets/site.css", "body{color:#222}");
    dir.write("secret.txt", "TOP-SECRET");
    page(dir, "de/index.md", "title: Start\ndescription: Startseite",
         "Hallo [Projekte](projects/index.md).");
    page(dir, "en/index.md", "title: Home\ndescription: Home page", "Hello.");
    page(dir, "de/projects/index.md", "title: Projekte\ndescription: Liste\nslug: projekte",
         "Erste Fassung.");
    page(dir, "en/projects/index.md", "title: Projects\ndescription: List", "Projects.");
    page(dir, "de/imprint.md",
         "title: Impressum\ndescription: Angaben\nslug: impressum\nnoindex: true", "Adresse.");
    page(dir, "en/draft.md", "title: Draft\ndescription: Not yet\ndraft: true", "Soon.");
    page(dir, "de/404.md", "title: Nicht gefunden\ndescription: Fehlt",
         "Diese Seite gibt es nicht.");
    page(dir, "en/404.md", "title: Not found\ndescription: Missing", "This page does not exist.");
}

std::string siteConfig(const TempDir& dir, const std::string& pages_extra = "",
                       const std::string& sitemap = "{}") {
    return "{\"listen\": {\"address\": \"127.0.0.1\", \"port\": 0},\n"
           "\"data_dir\": \"" +
           dir.path() +
           "/data\",\n"
           "\"site\": {\"base_url\": \"https://example.com\", \"hosts\": [\"example.com\"],"
           " \"locales\": [\"de\", \"en\"], \"default_locale\": \"de\"},\n"
           "\"plugin_dirs\": [\"" +
           pluginDir() +
           "\"],\n"
           "\"plugins\": {\"pages\": {\"root\": \"" +
           dir.path() + "/www\", \"locales_dir\": \"" + dir.path() + "/locales\"" + pages_extra +
           "}, \"sitemap\": " + sitemap + "}}\n";
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::size_t occurrences(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (auto p = text.find(part); p != std::string::npos; p = text.find(part, p + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE(
    "the site answers in both locales with per-locale slugs, one slash policy and localized 404s") {
    TempDir site;
    writeSite(site);
    Server server(siteConfig(site));
    int port = server.port();
    auto de = request(port, "GET", "/de/projekte/");
    CHECK(de.status == 200);
    CHECK(contains(de.body, "<html lang=\"de\">"));
    CHECK(contains(de.body, "<link rel=\"canonical\" href=\"https://example.com/de/projekte/\">"));
    CHECK(contains(de.body, "hreflang=\"en\" href=\"https://example.com/en/projects/\""));
    CHECK(contains(de.body, "hreflang=\"x-default\" href=\"https://example.com/de/projekte/\""));
    CHECK(de.header("cache-control") == "no-cache");
    CHECK_FALSE(de.header("etag").empty());
    CHECK(request(port, "GET", "/de/projekte/", {{"If-None-Match", de.header("etag")}}).status ==
          304);
    auto br = request(port, "GET", "/de/projekte/", {{"Accept-Encoding", "br"}});
    CHECK(br.header("content-encoding") == "br");
    CHECK(br.header("vary") == "Accept-Encoding");

    auto root = request(port, "GET", "/");
    CHECK(root.status == 200);
    CHECK(contains(root.body, "<a href=\"/de/\">Deutsch</a><a href=\"/en/\">English</a>"));
    CHECK_FALSE(root.has("location"));

    auto slash = request(port, "GET", "/de/projekte?a=1");
    CHECK(slash.status == 301);
    CHECK(slash.header("location") == "/de/projekte/?a=1");
    CHECK(request(port, "GET", "/en").header("location") == "/en/");

    auto missing_de = request(port, "GET", "/de/fehlt/");
    CHECK(missing_de.status == 404);
    CHECK(contains(missing_de.body, "Diese Seite gibt es nicht."));
    auto missing_en = request(port, "GET", "/en/missing");
    CHECK(missing_en.status == 404);
    CHECK(contains(missing_en.body, "This page does not exist."));
    auto neutral = request(port, "GET", "/elsewhere/");
    CHECK(neutral.status == 404);
    CHECK(contains(neutral.body, "<title>Nicht gefunden / Not found</title>"));
    CHECK(request(port, "GET", "/en/draft/").status == 404);
}

TEST_CASE("static files come only from the asset folder, escapes fail safely") {
    TempDir site;
    writeSite(site);
    fs::create_symlink(site.path() + "/secret.txt", site.path() + "/www/assets/leak.txt");
    fs::create_directory_symlink(site.path(), site.path() + "/www/assets/up");
    Server server(siteConfig(site));
    int port = server.port();
    const char* targets[] = {
        "/assets/../secret.txt",
        "/assets/%2e%2e/secret.txt",
        "/assets/%2E%2E%2Fsecret.txt",
        "/assets/..%2f..%2fsecret.txt",
        "/assets%2f..%2fsecret.txt",
        "/assets/leak.txt",
        "/assets/up/secret.txt",
        "/assets/site.css%00.txt",
        "/assets/site.css",  // only fingerprinted names are served
    };
    for (const char* target : targets) {
        INFO(target);
        auto raw =
            rawExchange(port, std::string("GET ") + target +
                                  " HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n");
        auto responses = parseResponses(raw);
        REQUIRE(responses.size() == 1);
        CHECK((responses[0].status == 400 || responses[0].status == 404));
        CHECK_FALSE(contains(responses[0].body, "TOP-SECRET"));
    }
    INFO(server.process().out() + server.process().err());
    CHECK(contains(server.process().out() + server.process().err(),
                   "assets/leak.txt: symlink leads outside the asset folder; not served"));
}

TEST_CASE("the sitemap lists each indexable URL once with alternates, and robots.txt names it") {
    TempDir site;
    writeSite(site);
    Server server(siteConfig(site));
    auto map = request(server.port(), "GET", "/sitemap.xml");
    CHECK(map.status == 200);
    CHECK(map.header("content-type") == "application/xml; charset=utf-8");
    CHECK(occurrences(map.body, "<url>") == 4);
    CHECK(occurrences(map.body, "<loc>https://example.com/de/projekte/</loc>") == 1);
    CHECK(contains(
        map.body,
        "<xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"https://example.com/\"/>"));
    CHECK_FALSE(contains(map.body, "impressum"));
    CHECK_FALSE(contains(map.body, "draft"));
    xmlDocPtr doc =
        xmlReadMemory(map.body.data(), static_cast<int>(map.body.size()), "sitemap.xml", nullptr,
                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    CHECK(doc != nullptr);  // well-formed
    xmlFreeDoc(doc);
    auto robots = request(server.port(), "GET", "/robots.txt");
    CHECK(robots.body == "User-agent: *\nDisallow:\n\nSitemap: https://example.com/sitemap.xml\n");
}

TEST_CASE("lastmod comes from content, not build time, and is stable across restarts") {
    TempDir site;
    writeSite(site);
    std::string first, second;
    {
        Server server(siteConfig(site));
        first = request(server.port(), "GET", "/sitemap.xml").body;
    }
    {
        Server server(siteConfig(site));
        second = request(server.port(), "GET", "/sitemap.xml").body;
    }
    CHECK(first == second);
    std::smatch m;
    REQUIRE(std::regex_search(first, m, std::regex("<lastmod>([0-9-]+)</lastmod>")));
    CHECK(contains(readFile(site.path() + "/data/pages/lastmod.json"), m[1].str()));
}

TEST_CASE("a broken content edit on SIGHUP keeps the old site serving, a fixed one goes live") {
    TempDir site;
    writeSite(site);
    Server server(siteConfig(site));
    page(site, "de/projects/index.md",
         "title: Projekte\ndescription: Liste\nslug: projekte\ntitel: x", "Zweite Fassung.");
    server.process().signal(SIGHUP);
    REQUIRE(server.process().waitForOutput("reload failed"));
    CHECK(contains(server.process().out() + server.process().err(),
                   "content/de/projects/index.md:5: unknown front-matter key \"titel\""));
    CHECK(contains(request(server.port(), "GET", "/de/projekte/").body, "Erste Fassung."));
    page(site, "de/projects/index.md", "title: Projekte\ndescription: Liste\nslug: projekte",
         "Zweite Fassung.");
    server.process().signal(SIGHUP);
    REQUIRE(server.process().waitForOutput("reload complete"));
    CHECK(contains(request(server.port(), "GET", "/de/projekte/").body, "Zweite Fassung."));
}

TEST_CASE("serve --watch re-renders on a content edit and keeps serving through a broken one") {
    TempDir site;
    writeSite(site);
    Server server(siteConfig(site), {}, {"--watch"});
    CHECK(contains(server.process().err() + server.process().out(),
                   site.path() + "/www"));  // the roots it watches are logged
    page(site, "de/projects/index.md", "title: Projekte\ndescription: Liste\nslug: projekte",
         "Zweite Fassung.");
    REQUIRE(server.process().waitForOutput("reload complete"));
    CHECK(contains(server.process().err() + server.process().out(),
                   "watch: " + site.path() + "/www/content/de/projects/index.md changed"));
    CHECK(contains(request(server.port(), "GET", "/de/projekte/").body, "Zweite Fassung."));

    site.write("locales/en.json", "{\"language\": ");
    REQUIRE(server.process().waitForOutput("reload failed"));
    CHECK(contains(request(server.port(), "GET", "/de/projekte/").body, "Zweite Fassung."));
    CHECK(request(server.port(), "GET", "/en/").status == 200);
}

namespace {

// Saves a page as editors do: a new file beside it, renamed over the old one.
void saveByRename(const TempDir& dir, const std::string& rel, const std::string& front,
                  const std::string& body) {
    const fs::path target = fs::path(dir.path()) / "www/content" / rel;
    const fs::path temp = target.parent_path() / ("." + target.filename().string() + ".swp");
    dir.write(fs::relative(temp, dir.path()).string(), "---\n" + front + "\n---\n" + body + "\n");
    fs::rename(temp, target);
}

// The live-reload event stream of a `serve --watch` on `port`, read with bounded waits.
class EventStream {
public:
    explicit EventStream(int port) : client_(port) {
        client_.send(
            "GET /_portico/livereload HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
            "Accept-Encoding: gzip, br\r\n\r\n");
    }
    /// Waits until `text` arrived after what earlier calls consumed; true when it did.
    bool next(const std::string& text, std::chrono::seconds timeout = std::chrono::seconds(20)) {
        const auto until = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            const auto at = client_.data().find(text, consumed_);
            if (at != std::string::npos) {
                consumed_ = at + text.size();
                return true;
            }
            if (client_.closed() || std::chrono::steady_clock::now() >= until) return false;
            client_.readSome(std::chrono::milliseconds(200));
        }
    }
    /// Everything received so far, the response head included.
    const std::string& received() const { return client_.data(); }
    Client& client() { return client_; }

private:
    Client client_;
    std::size_t consumed_ = 0;
};

// siteConfig with the headers plugin (its CSP) and a shutdown deadline that a stream holding
// a generation would have to wait out.
std::string watchConfig(const TempDir& site) {
    std::string config = siteConfig(site, "", "{}, \"headers\": {}");
    return "{\"server\": {\"shutdown_timeout_ms\": 60000}," + config.substr(1);
}

}  // namespace

TEST_CASE(
    "serve --watch reloads open pages after an edit saved by rename and reports a broken one") {
    TempDir site;
    writeSite(site);
    Server server(watchConfig(site), {}, {"--watch"});
    const int port = server.port();

    auto page = request(port, "GET", "/de/projekte/");
    std::smatch script;
    REQUIRE(
        std::regex_search(page.body, script,
                          std::regex("<script src=\"(/_portico/livereload\\.[0-9a-f]{10}\\.js)\" "
                                     "defer></script></head>")));
    CHECK(page.header("server-timing") == "portico-generation;desc=\"1\"");
    const std::string csp = page.header("content-security-policy");
    CHECK(contains(csp, "connect-src 'self'"));
    CHECK(contains(csp, "script-src 'self'"));
    CHECK_FALSE(contains(csp, "unsafe-inline"));
    auto js = request(port, "GET", script[1].str());
    CHECK(js.status == 200);
    CHECK(js.header("content-type") == "text/javascript; charset=utf-8");
    CHECK(contains(js.header("cache-control"), "immutable"));
    CHECK(contains(js.body, "new EventSource('/_portico/livereload')"));

    EventStream stream(port);
    REQUIRE(stream.next("event: hello\ndata: {\"generation\":1}\n\n"));
    const std::string head = stream.received().substr(0, stream.received().find("\r\n\r\n"));
    CHECK(head.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
    CHECK(contains(head, "Content-Type: text/event-stream"));
    CHECK(contains(head, "Cache-Control: no-store"));
    CHECK_FALSE(contains(head, "Content-Length"));
    CHECK_FALSE(contains(head, "Content-Encoding"));  // events go out as they are

    saveByRename(site, "de/projects/index.md",
                 "title: Projekte\ndescription: Liste\nslug: projekte", "Zweite Fassung.");
    REQUIRE(stream.next("event: reload\ndata: {\"generation\":2}\n\n"));
    page = request(port, "GET", "/de/projekte/");
    CHECK(contains(page.body, "Zweite Fassung."));
    CHECK(page.header("server-timing") == "portico-generation;desc=\"2\"");
    // The stream held no generation: the reload did not wait for the 60 s deadline.
    CHECK(server.process().waitForOutput("reload complete (generation 2)"));

    SECTION("a broken edit: an error event, the last good page goes on serving") {
        saveByRename(site, "de/projects/index.md",
                     "title: Projekte\ndescription: Liste\nslug: projekte\ntitel: x", "Kaputt.");
        REQUIRE(stream.next("event: failed\ndata: {\"errors\":["));
        REQUIRE(stream.next("]"));
        CHECK(contains(stream.received(),
                       "content/de/projects/index.md:5: unknown front-matter key \\\"titel\\\""));
        CHECK(contains(request(port, "GET", "/de/projekte/").body, "Zweite Fassung."));
        EventStream late(port);  // a tab opened meanwhile hears of it at once
        REQUIRE(late.next("event: hello"));
        CHECK(late.next("event: failed"));
        saveByRename(site, "de/projects/index.md",
                     "title: Projekte\ndescription: Liste\nslug: projekte", "Dritte Fassung.");
        REQUIRE(stream.next("event: reload"));
        CHECK(late.next("event: reload"));
        CHECK(contains(request(port, "GET", "/de/projekte/").body, "Dritte Fassung."));
    }
    SECTION("a new folder and the pages written into it") {
        site.write("www/content/en/notes/first/index.md",
                   "---\ntitle: First note\ndescription: A note\n---\nNew.\n");
        REQUIRE(stream.next("event: reload"));
        CHECK(request(port, "GET", "/en/notes/first/").status == 200);
        site.write("www/content/en/notes/second/index.md",
                   "---\ntitle: Second note\ndescription: Another\n---\nNewer.\n");
        REQUIRE(stream.next("event: reload"));
        CHECK(contains(request(port, "GET", "/en/notes/second/").body, "Newer."));
    }
    SECTION("shutdown closes the stream and does not wait for it") {
        server.process().signal(SIGTERM);
        CHECK(server.process().wait(std::chrono::seconds(20)) == 0);
        CHECK(stream.client().closesWithin(std::chrono::seconds(5)));
    }
}

TEST_CASE("serve --watch keeps at most 32 live-reload streams open, the next one gets 503") {
    TempDir site;
    writeSite(site);
    Server server(siteConfig(site), {}, {"--watch"});
    std::vector<std::unique_ptr<EventStream>> streams;
    for (int i = 0; i < 32; ++i) {
        streams.push_back(std::make_unique<EventStream>(server.port()));
        REQUIRE(streams.back()->next("event: hello"));
    }
    EventStream refused(server.port());
    REQUIRE(refused.next("\r\n\r\n"));
    CHECK(refused.received().rfind("HTTP/1.1 503 ", 0) == 0);
    streams.pop_back();  // the browser tab went: its place is free again
    bool admitted = false;
    for (int attempt = 0; attempt < 50 && !admitted; ++attempt) {
        EventStream again(server.port());
        admitted = again.next("event: hello", std::chrono::seconds(5));
        if (!admitted) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK(admitted);
    CHECK(request(server.port(), "GET", "/de/").status == 200);  // pages are still served
}

TEST_CASE("at max_connections an open live-reload stream makes room for a visitor") {
    TempDir site;
    writeSite(site);
    Server server(
        "{\"server\": {\"max_connections\": 3, \"io_threads\": 1}," + siteConfig(site).substr(1),
        {}, {"--watch"});
    std::vector<std::unique_ptr<EventStream>> streams;
    for (int i = 0; i < 3; ++i) {
        streams.push_back(std::make_unique<EventStream>(server.port()));
        REQUIRE(streams.back()->next("event: hello"));
    }
    CHECK(request(server.port(), "GET", "/de/").status == 200);
    CHECK(streams.front()->client().closesWithin(std::chrono::seconds(5)));  // the quietest
}

TEST_CASE("without --watch the live-reload endpoint is a 404 and no page names its script") {
    TempDir site;
    writeSite(site);
    Server server(siteConfig(site, "", "{}, \"headers\": {}"));
    CHECK(request(server.port(), "GET", "/_portico/livereload").status == 404);
    CHECK(request(server.port(), "GET", "/_portico/livereload.js").status == 404);
    for (const char* path : {"/", "/de/", "/en/", "/de/projekte/", "/en/projects/", "/de/fehlt/"}) {
        INFO(path);
        auto page = request(server.port(), "GET", path);
        CHECK(contains(page.header("content-type"), "text/html"));
        CHECK_FALSE(contains(page.body, "livereload"));
        CHECK_FALSE(contains(page.body, "_portico"));
        CHECK_FALSE(page.has("server-timing"));
    }
    auto help = runPortico({"serve", "--help"});
    CHECK(contains(help.out, "usage: portico [serve] [--config FILE] [--watch]"));
    CHECK(contains(help.out, "reload the open browser tabs"));
}

TEST_CASE("the language redirect on / is a 302 with Vary when switched on") {
    TempDir site;
    writeSite(site);
    Server server(siteConfig(site, ", \"language_redirect\": true"));
    auto en = request(server.port(), "GET", "/", {{"Accept-Language", "en-GB,en;q=0.9"}});
    CHECK(en.status == 302);
    CHECK(en.header("location") == "/en/");
    CHECK(contains(en.header("vary"), "Accept-Language"));
    auto cookie =
        request(server.port(), "GET", "/", {{"Accept-Language", "en"}, {"Cookie", "lang=de"}});
    CHECK(cookie.header("location") == "/de/");
    auto none = request(server.port(), "GET", "/", {{"Accept-Language", "fr"}});
    CHECK(none.status == 200);
    CHECK(contains(none.header("vary"), "Accept-Language, Cookie"));
    CHECK(request(server.port(), "GET", "/en/", {{"Accept-Language", "de"}}).status == 200);
}

TEST_CASE("check-config reports content errors with file and line") {
    TempDir site;
    writeSite(site);
    page(site, "en/index.md", "title: Home\ndescription: Home page",
         "Line.\n\nSee [gone](gone.md).");
    auto file = site.write("portico.json", siteConfig(site));
    auto r = runPortico({"check-config", "--config", file});
    CHECK(r.status == 1);
    CHECK(r.err.rfind(site.path() + "/www/content/en/index.md:7: link to \"gone.md\": no such "
                                    "page or asset\n",
                      0) == 0);
}

TEST_CASE("export writes every page and asset with .gz and .br, the sitemap and robots.txt") {
    TempDir site;
    writeSite(site);
    auto file = site.write("portico.json", siteConfig(site));
    const std::string out = site.path() + "/out";
    auto r = runPortico({"export", out, "--config", file});
    INFO(r.err);
    REQUIRE(r.status == 0);
    for (const char* path :
         {"index.html", "de/index.html", "en/index.html", "de/projekte/index.html",
          "en/projects/index.html", "de/impressum/index.html", "sitemap.xml", "robots.txt",
          "404.html", "de/404.html", "en/404.html"}) {
        INFO(path);
        CHECK(fs::is_regular_file(out + "/" + path));
    }
    CHECK(contains(readFile(out + "/de/projekte/index.html"), "Erste Fassung."));
    CHECK(fs::is_regular_file(out + "/de/projekte/index.html.gz"));
    CHECK(fs::is_regular_file(out + "/de/projekte/index.html.br"));
    CHECK(fs::is_regular_file(out + "/sitemap.xml.gz"));
    std::size_t css = 0;
    for (const auto& item : fs::directory_iterator(out + "/assets")) {
        if (std::regex_match(item.path().filename().string(),
                             std::regex("site\\.[0-9a-f]{10}\\.css")))
            ++css;
    }
    CHECK(css == 1);
    CHECK_FALSE(fs::exists(out + "/en/draft"));
    auto bad = runPortico({"export", out, "--config", site.path() + "/missing.json"});
    CHECK(bad.status == 1);
}

namespace {

// The head facts of one HTML document, read with libxml2's HTML parser.
struct Head {
    std::string lang;
    std::string canonical;
    std::map<std::string, std::string> hreflang;  // hreflang -> href
    std::map<std::string, std::string> og;        // property -> content
    std::string twitter_card;
    bool noindex = false;
    int titles = 0;
    int descriptions = 0;
    int json_ld = 0;
    std::vector<std::string> links;  // href and src values starting with '/'
};

std::vector<std::pair<xmlNodePtr, std::string>> select(xmlDocPtr doc, const char* xpath,
                                                       const char* attribute) {
    std::vector<std::pair<xmlNodePtr, std::string>> out;
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    xmlXPathObjectPtr result = xmlXPathEvalExpression(BAD_CAST xpath, ctx);
    if (result && result->nodesetval) {
        for (int i = 0; i < result->nodesetval->nodeNr; ++i) {
            xmlNodePtr node = result->nodesetval->nodeTab[i];
            xmlChar* value =
                attribute ? xmlGetProp(node, BAD_CAST attribute) : xmlNodeGetContent(node);
            out.emplace_back(node, value ? reinterpret_cast<const char*>(value) : "");
            xmlFree(value);
        }
    }
    xmlXPathFreeObject(result);
    xmlXPathFreeContext(ctx);
    return out;
}

std::string attr(xmlNodePtr node, const char* name) {
    xmlChar* value = xmlGetProp(node, BAD_CAST name);
    std::string out = value ? reinterpret_cast<const char*>(value) : "";
    xmlFree(value);
    return out;
}

Head parseHead(const std::string& html) {
    Head h;
    htmlDocPtr doc =
        htmlReadMemory(html.data(), static_cast<int>(html.size()), "page.html", "utf-8",
                       HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    REQUIRE(doc != nullptr);
    for (const auto& [n, v] : select(doc, "/html", "lang")) h.lang = v;
    for (const auto& [n, v] : select(doc, "//head/link[@rel='canonical']", "href")) h.canonical = v;
    for (const auto& [n, v] : select(doc, "//head/link[@rel='alternate'][@hreflang]", "href")) {
        h.hreflang[attr(n, "hreflang")] = v;
    }
    for (const auto& [n, v] : select(doc, "//head/meta[@property]", "content"))
        h.og[attr(n, "property")] = v;
    for (const auto& [n, v] : select(doc, "//head/meta[@name='twitter:card']", "content"))
        h.twitter_card = v;
    for (const auto& [n, v] : select(doc, "//head/meta[@name='robots']", "content"))
        h.noindex = contains(v, "noindex");
    h.titles = static_cast<int>(select(doc, "//head/title", nullptr).size());
    h.descriptions =
        static_cast<int>(select(doc, "//head/meta[@name='description']", "content").size());
    for (const auto& [n, v] : select(doc, "//script[@type='application/ld+json']", nullptr)) {
        if (contains(v, "\"Person\"") && contains(v, "\"WebSite\"")) ++h.json_ld;
    }
    for (const char* xp : {"//a[@href]", "//link[@href]"}) {
        for (const auto& [n, v] : select(doc, xp, "href")) {
            if (!v.empty() && v[0] == '/' && v.rfind("//", 0) != 0)
                h.links.push_back(v.substr(0, v.find('#')));
        }
    }
    for (const auto& [n, v] : select(doc, "//img[@src]", "src")) {
        CHECK_FALSE(attr(n, "alt").empty());
        CHECK_FALSE(attr(n, "width").empty());
        CHECK_FALSE(attr(n, "height").empty());
        if (!v.empty() && v[0] == '/') h.links.push_back(v);
    }
    xmlFreeDoc(doc);
    return h;
}

}  // namespace

TEST_CASE(
    "every page of the shipped site has consistent head tags, live links and a matching sitemap") {
    TempDir dir;
    int port = freePort();
    const std::string base = "http://localhost:8080";
    Process p({porticoBin(), "serve", "--config", "config/portico.json"},
              {{"PORTICO_PORT", std::to_string(port)},
               {"PORTICO_ADDRESS", "127.0.0.1"},
               {"PORTICO_DATA_DIR", dir.path() + "/data"},
               {"SITE_URL", base}},
              sourceDir());
    REQUIRE(p.waitForOutput("portico listening on"));

    // Crawl from / over every internal link (bounded: the sample site has a few dozen URLs).
    std::map<std::string, Head> pages;
    std::set<std::string> seen = {"/"};
    std::vector<std::string> queue = {"/"};
    while (!queue.empty() && seen.size() < 500) {
        std::string path = queue.back();
        queue.pop_back();
        auto res = request(port, "GET", path);
        INFO(path);
        REQUIRE(res.status == 200);
        if (!contains(res.header("content-type"), "text/html")) continue;
        Head head = parseHead(res.body);
        for (const auto& link : head.links) {
            if (seen.insert(link).second) queue.push_back(link);
        }
        pages[path] = std::move(head);
    }
    CHECK(pages.size() >= 19);  // selector + 9 pages per locale

    for (const auto& [path, h] : pages) {
        INFO(path);
        std::string locale = path == "/" ? "de" : path.substr(1, 2);
        CHECK(h.lang == locale);
        CHECK(h.titles == 1);
        CHECK(h.descriptions == 1);
        CHECK(h.canonical == base + path);
        CHECK(h.json_ld == 1);
        CHECK(h.twitter_card == "summary_large_image");
        CHECK(h.hreflang.count("de"));
        CHECK(h.hreflang.count("en"));
        CHECK(h.hreflang.count("x-default"));
        CHECK(h.hreflang.at(locale == "de" && path == "/" ? "x-default" : locale) == base + path);
        // Reciprocity: every version links back to this page under this page's locale.
        for (const auto& [lang, href] : h.hreflang) {
            if (lang == "x-default" || path == "/") continue;
            std::string other = href.substr(base.size());
            REQUIRE(pages.count(other));
            CHECK(pages.at(other).hreflang.at(locale) == base + path);
            CHECK(pages.at(other).hreflang.at("x-default") == h.hreflang.at("x-default"));
        }
        CHECK(h.og.at("og:title").size() > 0);
        CHECK(h.og.at("og:description").size() > 0);
        CHECK(h.og.at("og:url") == h.canonical);
        CHECK(h.og.at("og:image").rfind(base + "/assets/", 0) == 0);
        CHECK(h.og.at("og:image:alt").size() > 0);
        CHECK(h.og.count("og:type"));
        CHECK(h.og.at("og:locale") == (locale == "de" ? "de_DE" : "en_US"));
        CHECK(h.og.at("og:locale:alternate") == (locale == "de" ? "en_US" : "de_DE"));
        CHECK(request(port, "GET", h.og.at("og:image").substr(base.size())).status == 200);
    }

    // The sitemap agrees with the head tags: each indexable page once, same alternates.
    auto map = request(port, "GET", "/sitemap.xml");
    xmlDocPtr doc = xmlReadMemory(map.body.data(), static_cast<int>(map.body.size()), "sitemap.xml",
                                  nullptr, XML_PARSE_NONET);
    REQUIRE(doc != nullptr);
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    xmlXPathRegisterNs(ctx, BAD_CAST "s", BAD_CAST "http://www.sitemaps.org/schemas/sitemap/0.9");
    xmlXPathRegisterNs(ctx, BAD_CAST "x", BAD_CAST "http://www.w3.org/1999/xhtml");
    xmlXPathObjectPtr urls = xmlXPathEvalExpression(BAD_CAST "/s:urlset/s:url", ctx);
    REQUIRE(urls->nodesetval);
    std::set<std::string> listed;
    for (int i = 0; i < urls->nodesetval->nodeNr; ++i) {
        xmlNodePtr url = urls->nodesetval->nodeTab[i];
        std::string loc;
        std::map<std::string, std::string> alternates;
        for (xmlNodePtr c = url->children; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE) continue;
            std::string name = reinterpret_cast<const char*>(c->name);
            if (name == "loc") {
                xmlChar* text = xmlNodeGetContent(c);
                loc = reinterpret_cast<const char*>(text);
                xmlFree(text);
            } else if (name == "link") {
                alternates[attr(c, "hreflang")] = attr(c, "href");
            }
        }
        INFO(loc);
        CHECK(listed.insert(loc).second);
        std::string path = loc.substr(base.size());
        REQUIRE(pages.count(path));
        CHECK(pages.at(path).hreflang == alternates);
        CHECK_FALSE(pages.at(path).noindex);
    }
    xmlXPathFreeObject(urls);
    xmlXPathFreeContext(ctx);
    xmlFreeDoc(doc);
    for (const auto& [path, h] : pages) {
        if (path != "/" && !h.noindex) CHECK(listed.count(base + path));
        if (h.noindex) CHECK_FALSE(listed.count(base + path));
    }
    p.signal(SIGTERM);
    CHECK(p.wait() == 0);
}
