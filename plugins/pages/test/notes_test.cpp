// Tags, the notes section (pagination, reading time, anchors, table of contents, highlighted
// code) and the Atom feeds, through the test kit on a small two-locale site.
#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/NodeList.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "portico/testkit/test_host.hpp"
#include "temp_folder.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using portico::testkit::RequestBuilder;
using portico::testkit::TestHost;

namespace {

class NotesSite {
public:
    NotesSite() {
        write("locales/en.json", R"({"language": {"name": "English"},
            "tag_names": {"privacy": "Privacy"}, "tag": {"description": "Pages tagged"},
            "pagination": {"slug": "page", "page": "Page"}, "notes": {"anchor": "Link to"}})");
        write("locales/de.json", R"({"language": {"name": "Deutsch"},
            "tag_names": {"privacy": "Datenschutz"}, "tag": {"description": "Seiten zu"},
            "pagination": {"slug": "seite", "page": "Seite"}, "notes": {"anchor": "Link zu"}})");
        write("www/templates/partials/head.mustache",
              "<title>{{title}}</title>{{#alternates}}<link rel=\"alternate\" "
              "hreflang=\"{{hreflang}}\" href=\"{{href}}\">{{/alternates}}{{#feed}}<link "
              "rel=\"alternate\" type=\"application/atom+xml\" title=\"{{title}}\" "
              "href=\"{{url}}\">{{/feed}}");
        write(
            "www/templates/partials/tag_links.mustache",
            "<ul class=\"tags\">{{#tags}}<li><a href=\"{{url}}\">{{name}}</a></li>{{/tags}}</ul>");
        const std::string open =
            "<!doctype html><html lang=\"{{lang}}\"><head>{{> head}}</head><body>";
        write("www/templates/layouts/page.mustache",
              open +
                  "{{#page.tags}}<a class=\"tag\" href=\"{{url}}\">{{name}}</a>{{/page.tags}}"
                  "<main>{{{content}}}</main>{{#children}}<a class=\"child\" href=\"{{url}}\">"
                  "{{title}} ({{params.count}})</a>{{/children}}</body></html>");
        write("www/templates/layouts/selector.mustache", open + "</body></html>");
        write("www/templates/layouts/notes.mustache",
              open +
                  "{{{content}}}{{#children}}<article><a href=\"{{url}}\">{{title}}</a> "
                  "<time>{{date}}</time> {{reading_minutes}} min{{> tag_links}}</article>"
                  "{{/children}}{{#pagination}}<nav>{{#prev}}<a rel=\"prev\" href=\"{{prev}}\">"
                  "</a>{{/prev}}{{#pages}}{{#current}}<b>{{number}}</b>{{/current}}{{^current}}"
                  "<a href=\"{{url}}\">{{number}}</a>{{/current}}{{/pages}}{{#next}}<a "
                  "rel=\"next\" href=\"{{next}}\"></a>{{/next}}</nav>{{/pagination}}"
                  "</body></html>");
        write("www/templates/layouts/note.mustache",
              open +
                  "<h1>{{title}}</h1><p class=\"meta\">{{page.date}} · "
                  "{{page.reading_minutes}} min</p>{{#page}}{{> tag_links}}{{/page}}"
                  "{{#has_toc}}<nav class=\"toc\"><ol>{{#toc}}<li><a href=\"#{{id}}\">{{text}}</a>"
                  "{{#has_children}}<ol>{{#children}}<li><a href=\"#{{id}}\">{{text}}</a></li>"
                  "{{/children}}</ol>{{/has_children}}</li>{{/toc}}</ol></nav>{{/has_toc}}"
                  "<main>{{{content}}}</main></body></html>");
        write("www/templates/layouts/tag.mustache",
              open +
                  "<h1>{{tag.name}}</h1><p>{{description}} {{tag.count}}</p>{{#children}}"
                  "<a class=\"tagged\" href=\"{{url}}\">{{title}}</a>{{/children}}</body></html>");
        for (const char* locale : {"en", "de"}) {
            const std::string l = locale;
            const bool de = l == "de";
            page(l + "/index.md", "Home", "Home", "Hi.");
            page(l + "/tags/index.md", de ? "Schlagworte" : "Tags", "All tags", "# Tags",
                 de ? "slug: schlagworte\n" : "");
            page(l + "/notes/index.md", de ? "Notizen" : "Notes", "Notes", "# Notes",
                 std::string("layout: notes\n") + (de ? "slug: notizen\n" : ""));
            page(l + "/work.md", "Work", "A project", "Work.", "tags: [Docker]\n");
            page(l + "/notes/alpha.md", "Alpha", "First", "Old note.",
                 "layout: note\ndate: 2026-01-01\ntags: [Docker, Privacy]\n");
            page(l + "/notes/beta.md", "Beta", "Second", "Middle note.",
                 "layout: note\ndate: 2026-02-01\n");
            page(l + "/notes/gamma.md", "Gamma", "Third", gammaBody(),
                 "layout: note\ndate: 2026-03-01\ntoc: true\ntags: [CI/CD]\n");
        }
    }
    static std::string gammaBody() {
        std::string words;
        for (int i = 0; i < 430; ++i) words += "word ";
        return "## Setup\n\n" + words +
               "\n\n### Build it\n\n```cpp\nint main() { return 0; } // done\n```\n\n"
               "## Setup\n\n```cpp\nauto s = \"</code><script>alert(1)</script>\";\n```\n\n"
               "```klingon\nQapla' </code><script>alert(2)</script>\n```\n\n"
               "    plain <b>indented</b>\n";
    }
    void write(const std::string& rel, const std::string& text) const {
        fs::create_directories(fs::path(dir_.path() + "/" + rel).parent_path());
        dir_.write(rel, text);
    }
    void page(const std::string& rel, const std::string& title, const std::string& description,
              const std::string& body, const std::string& extra = "") const {
        write("www/content/" + rel, "---\ntitle: " + title + "\ndescription: " + description +
                                        "\n" + extra + "---\n" + body + "\n");
    }
    json config() const {
        return {{"root", dir_.path() + "/www"},
                {"locales_dir", dir_.path() + "/locales"},
                {"owner", {{"name", "Ada <Example>"}}},
                {"notes", {{"page_size", 2}, {"feed_entries", 2}}}};
    }

private:
    portico::tests::TempFolder dir_;
};

bool has(const std::string& body, const std::string& text) {
    return body.find(text) != std::string::npos;
}

std::size_t count(const std::string& body, const std::string& text) {
    std::size_t n = 0;
    for (auto p = body.find(text); p != std::string::npos; p = body.find(text, p + 1)) ++n;
    return n;
}

std::vector<portico::sdk::ConfigIssue> issuesOf(const json& config) {
    try {
        TestHost host(PORTICO_TEST_PLUGIN_FILE, config);
    } catch (const portico::sdk::ConfigError& e) {
        return e.issues();
    }
    return {};
}

}  // namespace

TEST_CASE(
    "each tag has a page per locale with its own slug, hreflang and the pages that carry it") {
    NotesSite site;
    TestHost host(PORTICO_TEST_PLUGIN_FILE, site.config());
    auto docker = host.handle(RequestBuilder("GET", "/en/tags/docker/"));
    REQUIRE(docker.status == 200);
    CHECK(has(docker.body, "<h1>Docker</h1><p>Pages tagged Docker. 2</p>"));
    // newest first: the note of January before the undated project page
    CHECK(has(docker.body,
              "<a class=\"tagged\" href=\"/en/notes/alpha/\">Alpha</a><a class=\"tagged\" "
              "href=\"/en/work/\">Work</a>"));
    CHECK(
        has(docker.body, "hreflang=\"de\" href=\"http://localhost:8080/de/schlagworte/docker/\""));
    auto privacy = host.handle(RequestBuilder("GET", "/de/schlagworte/datenschutz/"));
    REQUIRE(privacy.status == 200);
    CHECK(has(privacy.body, "<h1>Datenschutz</h1>"));
    CHECK(has(privacy.body, "hreflang=\"en\" href=\"http://localhost:8080/en/tags/privacy/\""));
    CHECK(host.handle(RequestBuilder("GET", "/en/tags/ci-cd/")).status == 200);
    auto work = host.handle(RequestBuilder("GET", "/de/work/"));
    CHECK(has(work.body, "<a class=\"tag\" href=\"/de/schlagworte/docker/\">Docker</a>"));
    auto index = host.handle(RequestBuilder("GET", "/en/tags/"));
    CHECK(has(index.body,
              "<a class=\"child\" href=\"/en/tags/ci-cd/\">CI/CD (1)</a><a class=\"child\" "
              "href=\"/en/tags/docker/\">Docker (2)</a><a class=\"child\" "
              "href=\"/en/tags/privacy/\">Privacy (1)</a>"));
    std::map<std::string, portico::sdk::PageEntry> entries;
    for (const auto& e : host.siteModel().pages()) entries[e.key] = e;
    CHECK(entries["tags/privacy"].paths ==
          std::map<std::string, std::string>{{"de", "/de/schlagworte/datenschutz/"},
                                             {"en", "/en/tags/privacy/"}});
    CHECK(entries["tags/docker"].lastmod == "2026-01-01");
    CHECK(entries["notes/gamma"].indexable);
}

TEST_CASE("tags need the tags section page in their locale, and a note needs a date") {
    NotesSite site;
    SECTION("no tags page") {
        fs::remove(site.config()["root"].get<std::string>() + "/content/de/tags/index.md");
        auto issues = issuesOf(site.config());
        REQUIRE(issues.size() == 1);
        CHECK(issues[0].message ==
              "tags: no page \"tags\" in locale \"de\" to put the tag pages below (add "
              "tags/index.md)");
    }
    SECTION("an undated note") {
        site.page("en/notes/beta.md", "Beta", "Second", "Text.", "layout: note\n");
        auto issues = issuesOf(site.config());
        REQUIRE(issues.size() == 1);
        CHECK(issues[0].file ==
              site.config()["root"].get<std::string>() + "/content/en/notes/beta.md");
        CHECK(issues[0].message == "front matter: a note needs a \"date\"");
    }
    SECTION("a tag that is not a name") {
        site.page("en/work.md", "Work", "A project", "Work.", "tags: [\"--\"]\n");
        auto issues = issuesOf(site.config());
        REQUIRE(issues.size() == 1);
        CHECK(issues[0].line == 4);
        CHECK(issues[0].message ==
              "tags: each tag must be a name with letters or digits, got \"--\"");
    }
}

TEST_CASE("a bad notes or tags block is refused with the path of each key") {
    NotesSite site;
    json config = site.config();
    config["notes"] = {{"page_size", 0}, {"feed_entries", "many"}, {"sektion", "x"}};
    config["tags"] = {{"layout", ""}};
    std::map<std::string, std::string> by_path;
    for (const auto& issue : issuesOf(config)) by_path[issue.path] += issue.message;
    CHECK(by_path.size() == 4);
    CHECK(by_path.count("notes.page_size") == 1);
    CHECK(by_path.count("notes.feed_entries") == 1);
    CHECK(by_path["notes"] == "unknown key 'sektion'; did you mean 'section'?");
    CHECK(by_path.count("tags.layout") == 1);
}

TEST_CASE("the notes list is paginated newest first with page_size notes a page") {
    NotesSite site;
    TestHost host(PORTICO_TEST_PLUGIN_FILE, site.config());
    auto first = host.handle(RequestBuilder("GET", "/en/notes/"));
    REQUIRE(first.status == 200);
    CHECK(count(first.body, "<article>") == 2);
    CHECK(has(first.body, "<a href=\"/en/notes/gamma/\">Gamma</a> <time>2026-03-01</time> 3 min"));
    CHECK(first.body.find("Gamma") < first.body.find("Beta"));
    CHECK_FALSE(has(first.body, "Alpha</a>"));
    CHECK(has(first.body,
              "<nav><b>1</b><a href=\"/en/notes/page/2/\">2</a><a rel=\"next\" "
              "href=\"/en/notes/page/2/\"></a></nav>"));
    auto second = host.handle(RequestBuilder("GET", "/de/notizen/seite/2/"));
    REQUIRE(second.status == 200);
    CHECK(has(second.body, "<title>Notizen – Seite 2</title>"));
    CHECK(count(second.body, "<article>") == 1);
    CHECK(has(second.body,
              "<a href=\"/de/notizen/alpha/\">Alpha</a> <time>2026-01-01</time> 1 min"
              "<ul class=\"tags\"><li><a href=\"/de/schlagworte/docker/\">Docker</a>"
              "</li><li><a href=\"/de/schlagworte/datenschutz/\">Datenschutz</a></li>"));
    CHECK(has(
        second.body,
        "<a rel=\"prev\" href=\"/de/notizen/\"></a><a href=\"/de/notizen/\">1</a><b>2</b></nav>"));
    CHECK(has(second.body, "hreflang=\"en\" href=\"http://localhost:8080/en/notes/page/2/\""));
    CHECK(host.handle(RequestBuilder("GET", "/en/notes/page/3/")).status == 404);

    json bigger = site.config();
    bigger["notes"]["page_size"] = 3;
    TestHost one_page(PORTICO_TEST_PLUGIN_FILE, bigger);
    CHECK(count(one_page.handle(RequestBuilder("GET", "/en/notes/")).body, "<article>") == 3);
    CHECK(one_page.handle(RequestBuilder("GET", "/en/notes/page/2/")).status == 404);
}

TEST_CASE("a note gets a reading time, heading anchors and, with toc, a table of contents") {
    NotesSite site;
    TestHost host(PORTICO_TEST_PLUGIN_FILE, site.config());
    auto gamma = host.handle(RequestBuilder("GET", "/en/notes/gamma/"));
    REQUIRE(gamma.status == 200);
    const std::string& b = gamma.body;
    CHECK(has(b, "<p class=\"meta\">2026-03-01 · 3 min</p>"));  // 449 words at 200 a minute
    CHECK(has(b,
              "<h2 id=\"setup\">Setup <a class=\"anchor\" href=\"#setup\"><span "
              "aria-hidden=\"true\">#</span><span class=\"visually-hidden\">Link to: "
              "Setup</span></a></h2>"));
    CHECK(has(b, "<h3 id=\"build-it\">Build it <a class=\"anchor\" href=\"#build-it\">"));
    CHECK(has(b, "<h2 id=\"setup-2\">Setup <a class=\"anchor\" href=\"#setup-2\">"));
    CHECK(has(b,
              "<nav class=\"toc\"><ol><li><a href=\"#setup\">Setup</a><ol><li><a "
              "href=\"#build-it\">Build it</a></li></ol></li><li><a href=\"#setup-2\">Setup</a>"
              "</li></ol></nav>"));
    // A note without toc has anchors but no table of contents; a plain page has neither.
    auto alpha = host.handle(RequestBuilder("GET", "/de/notizen/alpha/"));
    CHECK_FALSE(has(alpha.body, "class=\"toc\""));
    auto work = host.handle(RequestBuilder("GET", "/en/work/"));
    CHECK_FALSE(has(work.body, "class=\"anchor\""));
}

TEST_CASE("code blocks are highlighted at build time and hostile code stays text") {
    NotesSite site;
    TestHost host(PORTICO_TEST_PLUGIN_FILE, site.config());
    const std::string b = host.handle(RequestBuilder("GET", "/en/notes/gamma/")).body;
    CHECK(has(b,
              "<pre class=\"code\" tabindex=\"0\"><code class=\"language-cpp\"><span "
              "class=\"hl-type\">int</span> <span class=\"hl-function\">main</span>"));
    CHECK(has(b, "<span class=\"hl-keyword\">return</span> <span class=\"hl-number\">0</span>"));
    CHECK(has(b, "<span class=\"hl-comment\">// done</span>"));
    CHECK(has(b,
              "<span class=\"hl-string\">&quot;&lt;/code&gt;&lt;script&gt;alert(1)&lt;/"
              "script&gt;&quot;</span>"));
    // An unknown language and an indented block: plain, escaped, no class.
    CHECK(has(b,
              "<pre class=\"code\" tabindex=\"0\"><code>Qapla&#39; &lt;/code&gt;&lt;script&gt;"
              "alert(2)&lt;/script&gt;\n</code></pre>"));
    CHECK(has(b, "<pre class=\"code\" tabindex=\"0\"><code>plain &lt;b&gt;indented&lt;/b&gt;\n"));
    CHECK_FALSE(has(b, "<script>alert"));
}

TEST_CASE("each locale's notes have an Atom feed, linked from the head of its every page") {
    NotesSite site;
    TestHost host(PORTICO_TEST_PLUGIN_FILE, site.config());
    auto feed = host.handle(RequestBuilder("GET", "/en/notes/feed.xml"));
    REQUIRE(feed.status == 200);
    CHECK(feed.headers.get("Content-Type") == "application/atom+xml; charset=utf-8");
    Poco::XML::DOMParser parser;
    Poco::AutoPtr<Poco::XML::Document> doc = parser.parseString(feed.body);
    const std::string atom = "http://www.w3.org/2005/Atom";
    auto* root = doc->documentElement();
    CHECK(root->localName() == "feed");
    CHECK(root->namespaceURI() == atom);
    CHECK(root->getAttributeNS("http://www.w3.org/XML/1998/namespace", "lang") == "en");
    CHECK(root->getChildElementNS(atom, "title")->innerText() == "Notes · Ada <Example>");
    CHECK(root->getChildElementNS(atom, "id")->innerText() == "http://localhost:8080/en/notes/");
    CHECK(root->getChildElementNS(atom, "updated")->innerText() == "2026-03-01T00:00:00Z");
    Poco::AutoPtr<Poco::XML::NodeList> entries = root->getElementsByTagNameNS(atom, "entry");
    REQUIRE(entries->length() == 2);  // feed_entries
    auto* newest = static_cast<Poco::XML::Element*>(entries->item(0));
    CHECK(newest->getChildElementNS(atom, "id")->innerText() ==
          "http://localhost:8080/en/notes/gamma/");
    CHECK(newest->getChildElementNS(atom, "category")->getAttribute("label") == "CI/CD");
    const std::string content = newest->getChildElementNS(atom, "content")->innerText();
    CHECK(has(content, "<span class=\"hl-keyword\">return</span>"));
    CHECK(has(content, "<h2>Setup</h2>"));  // no anchors in a feed reader
    // The hostile code block is escaped text in the HTML, and that HTML escaped in the XML.
    CHECK(has(content, "&lt;/code&gt;&lt;script&gt;alert(1)"));
    CHECK_FALSE(has(content, "<script>"));
    CHECK_FALSE(has(feed.body, "<script>"));

    const std::string en_link =
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Notes "
        "· Ada &lt;Example&gt;\" href=\"/en/notes/feed.xml\">";
    for (const char* path : {"/en/", "/en/work/", "/en/tags/docker/", "/en/notes/page/2/"}) {
        INFO(path);
        CHECK(has(host.handle(RequestBuilder("GET", path)).body, en_link));
    }
    CHECK(
        has(host.handle(RequestBuilder("GET", "/de/work/")).body, "href=\"/de/notizen/feed.xml\""));
    CHECK(host.handle(RequestBuilder("GET", "/de/notizen/feed.xml")).status == 200);
}
