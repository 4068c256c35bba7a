#include <Poco/Data/Statement.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>
#include <regex>

#include "credential.hpp"
#include "portico/sdk/data.hpp"
#include "portico/sdk/errors.hpp"
#include "portico/testkit/test_host.hpp"

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using portico::testkit::RequestBuilder;
using portico::testkit::TestHost;
using portico::testkit::TestHostOptions;
namespace fs = std::filesystem;

namespace {

std::string sibling(const std::string& id) {
    return (fs::path(PORTICO_TEST_PLUGIN_FILE).parent_path() / (id + ".so")).string();
}

// The console beside the real contact and insights plugins on one data directory, so their
// own migrations make the tables the console reads.
struct Site {
    explicit Site(nlohmann::json config = nlohmann::json::object(), TestHostOptions options = {})
        : console(PORTICO_TEST_PLUGIN_FILE, std::move(config), options) {
        TestHostOptions shared;
        shared.data_dir = console.site().data_dir;
        contact = std::make_unique<TestHost>(sibling("contact"), nlohmann::json::object(), shared);
        insights =
            std::make_unique<TestHost>(sibling("insights"), nlohmann::json::object(), shared);
        console.status().setPlugins({{"contact", "0.1.0", "started", ""},
                                     {"insights", "0.1.0", "started", ""},
                                     {"metrics", "0.1.0", "started", ""},
                                     {"console", "0.1.0", "started", ""}});
    }
    void sql(const std::string& statement) {
        auto s = console.data().session();
        s << statement, now;
    }
    std::string answeredAt(const std::string& id) {
        auto s = console.data().session();
        std::string at = "(gone)";
        s << "SELECT answered_at FROM contact_messages WHERE id = '" + id + "'", into(at), now;
        return at;
    }
    int messages() {
        auto s = console.data().session();
        int n = -1;
        s << "SELECT COUNT(*) FROM contact_messages", into(n), now;
        return n;
    }
    void addMessage(const std::string& id, const std::string& name, const std::string& text) {
        auto s = console.data().session();
        std::string i = id, n = name, t = text;
        using Poco::Data::Keywords::use;
        s << "INSERT INTO contact_messages (id, created_at, locale, name, email, company, "
             "message, consent, client_hash, user_agent) VALUES (?, "
             "'2026-01-01T00:00:00.000Z', 'de', ?, 'eve@example.com', '', ?, 1, 'h', 'ua')",
            use(i), use(n), use(t), now;
    }
    std::string csrf(const std::string& cookie = "") {
        auto req = RequestBuilder("GET", "/");
        if (!cookie.empty()) req.header("Cookie", cookie);
        const auto res = console.handleAdmin(req);
        std::smatch m;
        REQUIRE(
            std::regex_search(res.body, m, std::regex("name=\"csrf\" value=\"([0-9a-f]{64})\"")));
        return m[1];
    }
    portico::sdk::Response post(const std::string& path, const std::string& body,
                                const std::string& cookie = "") {
        auto req = RequestBuilder("POST", path)
                       .header("Content-Type", "application/x-www-form-urlencoded")
                       .body(body);
        if (!cookie.empty()) req.header("Cookie", cookie);
        return console.handleAdmin(req);
    }

    TestHost console;
    std::unique_ptr<TestHost> contact;
    std::unique_ptr<TestHost> insights;
};

}  // namespace

TEST_CASE(
    "The dashboard shows visits, top lists, requests, plugins and the inbox in both languages") {
    Site site;
    site.sql(
        "INSERT INTO insights_hourly (hour, dimension, value, views) VALUES "
        "('2026-01-01T00', 'page', '/en/', 3), ('2026-01-01T00', 'page', '/de/', 2), "
        "('2026-01-01T00', 'locale', 'en', 3), ('2026-01-01T00', 'locale', 'de', 2), "
        "('2026-01-01T00', 'device', 'desktop', 5), "
        "('2026-01-01T00', 'utm_campaign', 'spring', 1), "
        "('2026-01-01T00', 'not_found', '/missing', 4), "
        "('2025-12-31T23', 'page', '/en/', 7)");
    site.sql(
        "INSERT INTO insights_visitors (day, visitor) VALUES ('2026-01-01', 'a'), "
        "('2026-01-01', 'b')");
    site.sql("INSERT INTO insights_daily (day, visitors) VALUES ('2025-12-31', 4)");
    site.addMessage("m1", "Ada", "Hello");

    const auto de = site.console.handleAdmin(
        RequestBuilder("GET", "/").header("Accept-Language", "de-DE,de;q=0.9,en;q=0.5"));
    CHECK(de.status == 200);
    CHECK(de.headers.get("Content-Language") == "de");
    CHECK(de.body.find("<html lang=\"de\">") != std::string::npos);
    CHECK(de.body.find("Besucher und Seitenaufrufe") != std::string::npos);
    // 30 days: 12 views (5 today, 7 yesterday), 6 visitors (2 today from hashes, 4 yesterday).
    CHECK(de.body.find("Seitenaufrufe: <strong>12</strong>") != std::string::npos);
    CHECK(de.body.find("Besucher: <strong>6</strong>") != std::string::npos);
    CHECK(de.body.find("role=\"img\"") != std::string::npos);
    for (const char* shown : {"/en/", "/de/", "desktop", "spring", "/missing", "Ada", "insights",
                              "Posteingang", "Sicherungen"}) {
        CAPTURE(shown);
        CHECK(de.body.find(shown) != std::string::npos);
    }
    CHECK(de.body.find("<script") == std::string::npos);

    const auto en = site.console.handleAdmin(RequestBuilder("GET", "/?lang=en&days=7"));
    CHECK(en.body.find("<html lang=\"en\">") != std::string::npos);
    CHECK(en.body.find("Visitors and page views") != std::string::npos);
    CHECK(en.body.find("aria-current=\"page\">7 days") != std::string::npos);
}

TEST_CASE("Console pages carry the strict security headers") {
    Site site;
    const auto res = site.console.handleAdmin(RequestBuilder("GET", "/"));
    const auto csp = res.headers.getOr("Content-Security-Policy", "");
    CHECK(csp.find("default-src 'none'") != std::string::npos);
    CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
    CHECK(csp.find("unsafe") == std::string::npos);
    CHECK(csp.find("script-src") == std::string::npos);
    CHECK(res.headers.get("X-Frame-Options") == "DENY");
    CHECK(res.headers.get("X-Content-Type-Options") == "nosniff");
    CHECK(res.headers.get("Referrer-Policy") == "same-origin");
    CHECK(res.headers.get("Cache-Control") == "no-store");
    CHECK(site.console.handleAdmin(RequestBuilder("GET", "/console/style.css")).status == 200);
    // The public listener knows none of it.
    CHECK(site.console.handle(RequestBuilder("GET", "/")).status == 404);
}

TEST_CASE("Hostile stored values are escaped: a referrer or message with markup and controls") {
    Site site;
    site.sql(
        "INSERT INTO insights_hourly (hour, dimension, value, views) VALUES "
        "('2026-01-01T00', 'referrer', '<script>alert(1)</script>', 1), "
        "('2026-01-01T00', 'utm_campaign', '\"><img src=x onerror=alert(2)>', 1)");
    site.addMessage("m1\"><b>", "Eve <script>x</script>\x1b[31m", "line one\nline <i>two</i>\x07");
    const auto page = site.console.handleAdmin(RequestBuilder("GET", "/"));
    CHECK(page.body.find("<script") == std::string::npos);
    CHECK(page.body.find("<img") == std::string::npos);
    CHECK(page.body.find("\x1b") == std::string::npos);
    CHECK(page.body.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    CHECK(page.body.find("Eve &lt;script&gt;x&lt;/script&gt;\\x1b[31m") != std::string::npos);
    CHECK(page.body.find("id=m1%22%3E%3Cb%3E") != std::string::npos);

    const auto read =
        site.console.handleAdmin(RequestBuilder("GET", "/console/message?id=m1%22%3E%3Cb%3E"));
    CHECK(read.status == 200);
    CHECK(read.body.find("<p>line one</p><p>line &lt;i&gt;two&lt;/i&gt;\\x07</p>") !=
          std::string::npos);
    CHECK(read.body.find("<b>") == std::string::npos);
    CHECK(read.body.find("<i>") == std::string::npos);
}

TEST_CASE("A POST without the CSRF token, with another's, or from another origin is refused") {
    Site site;
    site.addMessage("m1", "Ada", "Hello");
    CHECK(site.post("/console/message/answer", "id=m1").status == 403);
    CHECK(site.post("/console/message/answer", "id=m1&csrf=" + std::string(64, '0')).status == 403);
    CHECK(site.post("/console/message/delete", "id=m1&confirm=yes").status == 403);
    CHECK(site.post("/console/backup", "").status == 403);
    const std::string token = site.csrf();
    auto cross = RequestBuilder("POST", "/console/message/answer")
                     .header("Origin", "http://evil.example")
                     .body("id=m1&csrf=" + token);
    CHECK(site.console.handleAdmin(cross).status == 403);
    auto opaque = RequestBuilder("POST", "/console/message/answer")
                      .header("Origin", "null")
                      .body("id=m1&csrf=" + token);
    CHECK(site.console.handleAdmin(opaque).status == 403);
    auto own = RequestBuilder("POST", "/console/message/answer")
                   .header("Host", "127.0.0.1:9100")
                   .header("Origin", "http://127.0.0.1:9100")
                   .body("id=nope&csrf=" + token);
    CHECK(site.console.handleAdmin(own).status == 404);  // allowed; no such message
    CHECK(site.answeredAt("m1").empty());
    CHECK(site.messages() == 1);

    const auto ok = site.post("/console/message/answer", "id=m1&csrf=" + token);
    CHECK(ok.status == 303);
    CHECK(ok.headers.get("Location") == "/console/message?id=m1&lang=en");
    CHECK(site.answeredAt("m1") == "2026-01-01T00:00:00Z");
}

TEST_CASE("Deleting a message takes a confirmation step") {
    Site site;
    site.addMessage("m1", "Ada", "Hello");
    const std::string token = site.csrf();
    // The delete link leads to a page that asks; only its form carries confirm=yes.
    const auto ask =
        site.console.handleAdmin(RequestBuilder("GET", "/console/message/delete?id=m1"));
    CHECK(ask.status == 200);
    CHECK(ask.body.find("name=\"confirm\" value=\"yes\"") != std::string::npos);
    CHECK(site.messages() == 1);
    const auto unconfirmed = site.post("/console/message/delete", "id=m1&csrf=" + token);
    CHECK(unconfirmed.status == 303);
    CHECK(unconfirmed.headers.get("Location") == "/console/message/delete?id=m1&lang=en");
    CHECK(site.messages() == 1);
    CHECK(site.post("/console/message/delete", "id=m1&confirm=yes&csrf=" + token).status == 303);
    CHECK(site.messages() == 0);
    CHECK(site.post("/console/message/delete", "id=m1&confirm=yes&csrf=" + token).status == 404);
}

TEST_CASE("The inbox exports as CSV with formula cells defused") {
    Site site;
    site.addMessage("m1", "=HYPERLINK(\"x\")", "Hi, there");
    const auto csv = site.console.handleAdmin(RequestBuilder("GET", "/console/messages.csv"));
    CHECK(csv.status == 200);
    CHECK(csv.headers.getOr("Content-Type", "").rfind("text/csv", 0) == 0);
    CHECK(csv.body.rfind("\"id\",\"created_at\",\"locale\",\"name\",\"email\",\"company\","
                         "\"message\",\"answered_at\"\r\n",
                         0) == 0);
    CHECK(csv.body.find("\"'=HYPERLINK(\"\"x\"\")\"") != std::string::npos);
    CHECK(csv.body.find("\"Hi, there\"") != std::string::npos);
}

TEST_CASE("A backup taken from the console is a snapshot the list then shows") {
    Site site;
    site.addMessage("m1", "Ada", "Hello");
    const auto res = site.post("/console/backup", "csrf=" + site.csrf());
    CHECK(res.status == 200);
    const fs::path dir = fs::path(site.console.site().data_dir) / "backups";
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir)) files.push_back(e.path());
    REQUIRE(files.size() == 1);
    CHECK(files[0].filename() == "portico-20260101T000000000Z.db");
    CHECK((fs::status(files[0]).permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write));
    CHECK(fs::file_size(files[0]) > 0);
    const auto page = site.console.handleAdmin(RequestBuilder("GET", "/"));
    CHECK(page.body.find("portico-20260101T000000000Z.db") != std::string::npos);
}

TEST_CASE("With a password the console needs a session, and failed sign-ins are limited") {
    using portico::plugins::console::makePasswordHash;
    Site site({{"password_hash", makePasswordHash("correct horse", 10000)}, {"login_attempts", 2}});
    const auto away = site.console.handleAdmin(RequestBuilder("GET", "/?lang=de"));
    CHECK(away.status == 303);
    CHECK(away.headers.get("Location") == "/console/login?lang=de");
    CHECK(site.console.handleAdmin(RequestBuilder("GET", "/console/messages.csv")).status == 303);
    const auto form = site.console.handleAdmin(RequestBuilder("GET", "/console/login"));
    CHECK(form.status == 200);
    std::smatch m;
    REQUIRE(std::regex_search(form.body, m, std::regex("name=\"csrf\" value=\"([0-9a-f]{64})\"")));
    const std::string anonymous = m[1];

    CHECK(site.post("/console/login", "password=correct+horse").status == 403);  // no token
    CHECK(site.post("/console/login", "password=wrong&csrf=" + anonymous).status == 401);
    CHECK(site.post("/console/login", "password=wrong&csrf=" + anonymous).status == 401);
    CHECK(site.post("/console/login", "password=correct+horse&csrf=" + anonymous).status == 429);
    site.console.clock().advance(std::chrono::minutes(15));
    const auto in = site.post("/console/login", "password=correct+horse&csrf=" + anonymous);
    REQUIRE(in.status == 303);
    const auto set = in.headers.getOr("Set-Cookie", "");
    CHECK(set.find("HttpOnly") != std::string::npos);
    CHECK(set.find("Secure") != std::string::npos);
    CHECK(set.find("SameSite=Strict") != std::string::npos);
    const std::string cookie = set.substr(0, set.find(';'));

    CHECK(site.console.handleAdmin(RequestBuilder("GET", "/").header("Cookie", cookie)).status ==
          200);
    site.addMessage("m1", "Ada", "Hello");
    // The session's token, not the sign-in form's.
    CHECK(site.post("/console/message/answer", "id=m1&csrf=" + anonymous, cookie).status == 403);
    const std::string token = site.csrf(cookie);
    CHECK(site.post("/console/message/answer", "id=m1&csrf=" + token, cookie).status == 303);
    CHECK(site.post("/console/logout", "csrf=" + token, cookie).status == 303);
    CHECK(site.console.handleAdmin(RequestBuilder("GET", "/").header("Cookie", cookie)).status ==
          303);
}

TEST_CASE("An admin listener off loopback without a password hash refuses the plugin") {
    TestHostOptions options;
    options.admin_address = "0.0.0.0";
    try {
        TestHost host(PORTICO_TEST_PLUGIN_FILE, nlohmann::json::object(), options);
        FAIL("started");
    } catch (const portico::sdk::ConfigError& e) {
        REQUIRE(e.issues().size() == 1);
        CHECK(e.issues()[0].path == "password_hash");
    }
}

TEST_CASE("portico console hash-password prints a hash the console accepts") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE);
    CHECK(host.runCommand("console", {"nonsense"}, {}).status == 2);
    CHECK(host.runCommand("console", {"hash-password"}, {{"iterations", "5"}}).status == 2);
}
