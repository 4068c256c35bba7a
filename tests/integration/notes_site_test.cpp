// Notes, tags and feeds through the real process: a small two-locale site with one note a page,
// its Atom feeds checked by xmllint against RFC 4287's RELAX NG schema (tests/e2e/atom.rng),
// and the sitemap listing tag pages, list pages and notes with their alternates.
#include <catch2/catch.hpp>
#include <string>

#include "harness.hpp"

using namespace portico::tests;

namespace {

void page(const TempDir& dir, const std::string& rel, const std::string& front,
          const std::string& body) {
    dir.write("www/content/" + rel, "---\n" + front + "\n---\n" + body + "\n");
}

void writeNotesSite(const TempDir& dir) {
    for (const char* locale : {"de", "en"}) {
        const std::string l = locale;
        dir.write("locales/" + l + ".json",
                  l == "de" ? R"({"language": {"name": "Deutsch"}, "pagination": {"slug": "seite"},
                                  "tag_names": {"privacy": "Datenschutz"}})"
                            : R"({"language": {"name": "English"}, "pagination": {"slug": "page"},
                                  "tag_names": {"privacy": "Privacy"}})");
    }
    dir.write("www/templates/partials/head.mustache",
              "<title>{{title}}</title>{{#alternates}}<link rel=\"alternate\" "
              "hreflang=\"{{hreflang}}\" href=\"{{href}}\">{{/alternates}}{{#feed}}<link "
              "rel=\"alternate\" type=\"application/atom+xml\" href=\"{{url}}\">{{/feed}}");
    const std::string open = "<!doctype html><html lang=\"{{lang}}\"><head>{{> head}}</head><body>";
    for (const char* layout : {"page", "selector", "tag"}) {
        dir.write(std::string("www/templates/layouts/") + layout + ".mustache",
                  open +
                      "{{{content}}}{{#children}}<a class=\"item\" href=\"{{url}}\">{{title}}"
                      "</a>{{/children}}</body></html>");
    }
    dir.write("www/templates/layouts/notes.mustache",
              open +
                  "{{#children}}<a class=\"item\" href=\"{{url}}\">{{title}}</a>{{/children}}"
                  "{{#pagination}}{{#next}}<a rel=\"next\" href=\"{{next}}\">next</a>{{/next}}"
                  "{{/pagination}}</body></html>");
    page(dir, "de/index.md", "title: Start\ndescription: Start", "Hallo.");
    page(dir, "en/index.md", "title: Home\ndescription: Home", "Hello.");
    page(dir, "de/tags/index.md", "title: Schlagworte\ndescription: Alle\nslug: schlagworte", "");
    page(dir, "en/tags/index.md", "title: Tags\ndescription: All", "");
    page(dir, "de/notes/index.md",
         "title: Notizen\ndescription: Alle\nslug: notizen\nlayout: notes", "");
    page(dir, "en/notes/index.md", "title: Notes\ndescription: All\nlayout: notes", "");
    for (const char* locale : {"de", "en"}) {
        const std::string l = locale;
        page(dir, l + "/notes/deploys.md",
             "title: Deploys & <rollbacks>\ndescription: How\ndate: 2026-10-14\n"
             "tags: [Docker, Privacy]",
             "## Steps\n\n```sh\nif true; then echo \"</code><script>\"; fi\n```\n");
        page(dir, l + "/notes/counting.md",
             "title: Counting\ndescription: Why\ndate: 2026-11-18\ntags: [Privacy]",
             "Text with a [link](deploys.md).");
    }
}

std::string notesConfig(const TempDir& dir) {
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
           dir.path() + "/www\", \"locales_dir\": \"" + dir.path() +
           "/locales\", \"notes\": {\"page_size\": 1}}, \"sitemap\": {}}}\n";
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// xmllint's verdict on `xml` against the Atom RELAX NG schema: "" when valid, else its output.
std::string atomProblems(const TempDir& dir, const std::string& name, const std::string& xml) {
    const std::string file = dir.write(name, xml);
    Process lint({"/usr/bin/xmllint", "--noout", "--nonet", "--relaxng",
                  sourceDir() + "/tests/e2e/atom.rng", file},
                 {}, dir.path());
    int status = lint.wait();
    return status == 0 ? "" : "exit " + std::to_string(status) + ": " + lint.err() + lint.out();
}

}  // namespace

TEST_CASE("notes lists, pages 2, notes and tag pages answer in both locales with their slugs") {
    TempDir site;
    writeNotesSite(site);
    Server server(notesConfig(site));
    const int port = server.port();
    auto en = request(port, "GET", "/en/notes/");
    REQUIRE(en.status == 200);
    CHECK(contains(en.body, "<a class=\"item\" href=\"/en/notes/counting/\">Counting</a>"));
    CHECK(contains(en.body, "<a rel=\"next\" href=\"/en/notes/page/2/\">next</a>"));
    CHECK(contains(en.body,
                   "<link rel=\"alternate\" type=\"application/atom+xml\" "
                   "href=\"/en/notes/feed.xml\">"));
    auto second = request(port, "GET", "/de/notizen/seite/2/");
    REQUIRE(second.status == 200);
    CHECK(
        contains(second.body, "href=\"/de/notizen/deploys/\">Deploys &amp; &lt;rollbacks&gt;</a>"));
    CHECK(contains(second.body, "hreflang=\"en\" href=\"https://example.com/en/notes/page/2/\""));
    auto note = request(port, "GET", "/en/notes/deploys/");
    REQUIRE(note.status == 200);
    CHECK(contains(note.body, "<h2 id=\"steps\">Steps <a class=\"anchor\" href=\"#steps\">"));
    CHECK(contains(note.body, "<code class=\"language-sh\"><span class=\"hl-keyword\">if</span>"));
    CHECK(contains(note.body, "&lt;/code&gt;&lt;script&gt;"));
    CHECK_FALSE(contains(note.body, "<script>"));
    auto tag_de = request(port, "GET", "/de/schlagworte/datenschutz/");
    REQUIRE(tag_de.status == 200);
    CHECK(contains(tag_de.body, "<title>Datenschutz</title>"));
    CHECK(contains(tag_de.body,
                   "href=\"/de/notizen/counting/\">Counting</a><a class=\"item\" "
                   "href=\"/de/notizen/deploys/\">"));
    CHECK(contains(tag_de.body, "hreflang=\"en\" href=\"https://example.com/en/tags/privacy/\""));
    auto tag_en = request(port, "GET", "/en/tags/docker/");
    REQUIRE(tag_en.status == 200);
    CHECK(contains(tag_en.body,
                   "hreflang=\"de\" href=\"https://example.com/de/schlagworte/docker/\""));
}

TEST_CASE("each locale's Atom feed is valid against RFC 4287's RELAX NG schema") {
    TempDir site;
    writeNotesSite(site);
    Server server(notesConfig(site));
    for (const char* path : {"/de/notizen/feed.xml", "/en/notes/feed.xml"}) {
        INFO(path);
        auto feed = request(server.port(), "GET", path);
        REQUIRE(feed.status == 200);
        CHECK(feed.header("content-type") == "application/atom+xml; charset=utf-8");
        CHECK(contains(feed.body, "<title>Deploys &amp; &lt;rollbacks&gt;</title>"));
        CHECK(contains(feed.body, "&lt;/code&gt;"));
        CHECK(atomProblems(site, "feed.xml", feed.body) == "");
    }
    // The schema does reject: a feed without its id.
    auto feed = request(server.port(), "GET", "/en/notes/feed.xml").body;
    auto id = feed.find("<id>");
    feed.erase(id, feed.find("</id>", id) + 5 - id);
    CHECK(contains(atomProblems(site, "broken.xml", feed), "fails to validate"));
}

TEST_CASE("the sitemap lists notes, list pages and tag pages with their hreflang alternates") {
    TempDir site;
    writeNotesSite(site);
    Server server(notesConfig(site));
    auto map = request(server.port(), "GET", "/sitemap.xml").body;
    for (const char* url :
         {"/de/notizen/deploys/", "/en/notes/counting/", "/en/notes/page/2/",
          "/de/schlagworte/datenschutz/", "/en/tags/privacy/", "/en/tags/docker/"}) {
        INFO(url);
        CHECK(contains(map, std::string("<loc>https://example.com") + url + "</loc>"));
    }
    CHECK(contains(map,
                   "<loc>https://example.com/en/tags/privacy/</loc><lastmod>2026-11-18"
                   "</lastmod><xhtml:link rel=\"alternate\" hreflang=\"de\" "
                   "href=\"https://example.com/de/schlagworte/datenschutz/\"/><xhtml:link "
                   "rel=\"alternate\" hreflang=\"en\" href=\"https://example.com/en/tags/"
                   "privacy/\"/>"));
    CHECK_FALSE(contains(map, "feed.xml"));
}
