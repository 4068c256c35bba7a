#include <Poco/Data/Statement.h>
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <string>

#include "portico/sdk/data.hpp"
#include "portico/testkit/test_host.hpp"
#include "token.hpp"

using namespace std::chrono_literals;
using nlohmann::json;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using portico::testkit::RequestBuilder;
using portico::testkit::TestHost;

namespace {

const json kConfig = {{"secret", "test-secret-0123456789"}, {"retention_days", 30}};

std::string tokenIn(const std::string& html) {
    std::smatch m;
    REQUIRE(std::regex_search(
        html, m, std::regex("name=\"token\" value=\"([0-9]+\\.[0-9a-f]+\\.[0-9a-f]+)\"")));
    return m[1];
}

portico::sdk::Response post(TestHost& host, const std::string& path, const std::string& body) {
    return host.handle(RequestBuilder("POST", path)
                           .header("Content-Type", "application/x-www-form-urlencoded")
                           .header("User-Agent", "test-agent/1")
                           .client("203.0.113.9")
                           .body(body));
}

int messageCount(TestHost& host) {
    auto session = host.data().session();
    int n = 0;
    session << "SELECT COUNT(*) FROM contact_messages", into(n), now;
    return n;
}

}  // namespace

TEST_CASE("a valid form is stored and answered with 303 to the localized thank-you page") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE, kConfig);
    auto form = host.handle(RequestBuilder("GET", "/de/kontakt/"));
    REQUIRE(form.status == 200);
    CHECK(form.headers.get("Cache-Control") == "no-store");
    CHECK(form.body.find("<form method=\"post\" action=\"/de/kontakt/\"") != std::string::npos);
    const std::string token = tokenIn(form.body);
    host.clock().advance(5s);

    auto res = post(host, "/de/kontakt/",
                    "name=J%C3%BCrgen&email=j%40example.de&company=ACME&message=Hallo%0AWelt"
                    "&consent=yes&website=&token=" +
                        token);
    CHECK(res.status == 303);
    CHECK(res.headers.get("Location") == "/de/kontakt/danke/");
    REQUIRE(messageCount(host) == 1);

    auto session = host.data().session();
    std::string created, locale, name, message, hash, agent;
    session << "SELECT created_at, locale, name, message, client_hash, user_agent "
               "FROM contact_messages",
        into(created), into(locale), into(name), into(message), into(hash), into(agent), now;
    CHECK(created == "2026-01-01T00:00:05.000Z");
    CHECK(locale == "de");
    CHECK(name == "Jürgen");
    CHECK(message == "Hallo\nWelt");
    CHECK(hash.size() == 32);
    CHECK(hash.find("203.0.113.9") == std::string::npos);
    CHECK(agent == "test-agent/1");

    auto thanks = host.handle(RequestBuilder("GET", "/de/kontakt/danke/"));
    CHECK(thanks.status == 200);
    CHECK(thanks.body.find("Vielen Dank") != std::string::npos);
}

TEST_CASE("an invalid form is re-rendered with 422, the input kept and errors beside fields") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE, kConfig);
    const std::string token = tokenIn(host.handle(RequestBuilder("GET", "/en/contact/")).body);
    host.clock().advance(5s);
    auto res = post(host, "/en/contact/",
                    "name=Ada&email=not-an-address&message=Hi+%3Cthere%3E&token=" + token);
    CHECK(res.status == 422);
    CHECK(res.body.find("value=\"Ada\"") != std::string::npos);
    CHECK(res.body.find(">Hi &lt;there&gt;</textarea>") != std::string::npos);
    CHECK(res.body.find("id=\"contact-email-error\">Please enter a valid e-mail address.") !=
          std::string::npos);
    CHECK(res.body.find("id=\"contact-consent-error\">Please agree") != std::string::npos);
    CHECK(messageCount(host) == 0);
}

TEST_CASE("too-fast, stale, forged and honeypot forms are refused and nothing is stored") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE, kConfig);
    const std::string fields = "name=Ada&email=ada%40example.com&message=Hi&consent=yes";
    const std::string token = tokenIn(host.handle(RequestBuilder("GET", "/en/contact/")).body);

    auto fast = post(host, "/en/contact/", fields + "&token=" + token);
    CHECK(fast.status == 422);
    CHECK(fast.body.find("That was very quick.") != std::string::npos);

    auto forged = post(host, "/en/contact/", fields + "&token=1767225600.deadbeef");
    CHECK(forged.status == 403);
    CHECK(forged.body.find("could not be verified") != std::string::npos);

    host.clock().advance(5s);
    auto bot = post(host, "/en/contact/", fields + "&website=http%3A%2F%2Fspam&token=" + token);
    CHECK(bot.status == 400);

    host.clock().advance(48h);
    auto stale = post(host, "/en/contact/", fields + "&token=" + token);
    CHECK(stale.status == 422);
    CHECK(stale.body.find("The form has expired.") != std::string::npos);
    CHECK(stale.body.find("value=\"Ada\"") != std::string::npos);
    CHECK(messageCount(host) == 0);
}

TEST_CASE("a token is accepted once and forgotten by the scheduled task once it expired") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE, kConfig);
    const std::string fields = "name=Ada&email=ada%40example.com&consent=yes&message=";
    const std::string token = tokenIn(host.handle(RequestBuilder("GET", "/en/contact/")).body);
    host.clock().advance(5s);
    CHECK(post(host, "/en/contact/", fields + "One&token=" + token).status == 303);
    auto again = post(host, "/en/contact/", fields + "Two&token=" + token);
    CHECK(again.status == 409);
    CHECK(again.body.find("This form has already been sent.") != std::string::npos);
    CHECK(again.body.find(">Two</textarea>") != std::string::npos);
    CHECK(tokenIn(again.body) != token);
    CHECK(messageCount(host) == 1);

    auto used = [&] {
        int n = 0;
        auto session = host.data().session();
        session << "SELECT COUNT(*) FROM contact_tokens", into(n), now;
        return n;
    };
    CHECK(used() == 1);
    host.clock().advance(23h);
    host.scheduler().runDue();
    CHECK(used() == 1);
    host.clock().advance(2h);
    host.scheduler().runDue();
    CHECK(used() == 0);
    CHECK(host.scheduler().errors().empty());
}

TEST_CASE("a body that is not a urlencoded form gets 415") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE, kConfig);
    auto res = host.handle(RequestBuilder("POST", "/en/contact/")
                               .header("Content-Type", "application/json")
                               .body("{}"));
    CHECK(res.status == 415);
}

TEST_CASE("messages older than the retention period are deleted by the scheduled task") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE, kConfig);
    const std::string token = tokenIn(host.handle(RequestBuilder("GET", "/en/contact/")).body);
    host.clock().advance(5s);
    REQUIRE(post(host, "/en/contact/",
                 "name=Ada&email=ada%40example.com&message=Hi&consent=yes&token=" + token)
                .status == 303);
    host.clock().advance(29 * 24h);
    host.scheduler().runDue();
    CHECK(messageCount(host) == 1);
    host.clock().advance(2 * 24h);
    host.scheduler().runDue();
    CHECK(messageCount(host) == 0);
    CHECK(host.scheduler().errors().empty());
}

TEST_CASE("without a configured secret one is generated once and kept in the data directory") {
    std::string secret;
    std::string token;
    std::string data_dir;
    {
        TestHost host(PORTICO_TEST_PLUGIN_FILE, {{"retention_days", 0}});
        data_dir = host.site().data_dir;
        const std::string file = data_dir + "/contact.secret";
        REQUIRE(std::filesystem::exists(file));
        CHECK((std::filesystem::status(file).permissions() & std::filesystem::perms::all) ==
              (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
        std::ifstream in(file);
        in >> secret;
        CHECK(std::regex_match(secret, std::regex("[0-9a-f]{64}")));
        bool warned = false;
        for (const auto& line : host.logLines()) {
            warned =
                warned || (line.rfind("[warning] no secret configured: generated", 0) == 0 &&
                           line.find("replicas must share CONTACT_SECRET") != std::string::npos);
        }
        CHECK(warned);
        token = tokenIn(host.handle(RequestBuilder("GET", "/en/contact/")).body);
    }
    // The generated secret is the one that signs the tokens.
    using portico::plugins::contact::TokenCheck;
    const std::int64_t issued = std::stoll(token.substr(0, token.find('.')));
    CHECK(portico::plugins::contact::checkToken(secret, token, issued + 5, 3, 86400) ==
          TokenCheck::kOk);
    CHECK(portico::plugins::contact::checkToken(std::string(64, '0'), token, issued + 5, 3,
                                                86400) == TokenCheck::kInvalid);
}

TEST_CASE(
    "a stored message and the generated secret survive a restart on the same data directory") {
    std::string pattern = (std::filesystem::temp_directory_path() / "contact-XXXXXX").string();
    const std::string data_dir = std::string(mkdtemp(pattern.data())) + "/data";
    portico::testkit::TestHostOptions options;
    options.data_dir = data_dir;
    const json config = {{"retention_days", 30}};
    std::string secret;
    {
        TestHost host(PORTICO_TEST_PLUGIN_FILE, config, options);
        const std::string token = tokenIn(host.handle(RequestBuilder("GET", "/en/contact/")).body);
        host.clock().advance(5s);
        auto res =
            post(host, "/en/contact/",
                 "name=Ada&email=ada%40example.com&message=Hi&consent=yes&website=&token=" + token);
        REQUIRE(res.status == 303);
        std::ifstream(data_dir + "/contact.secret") >> secret;
    }
    {
        TestHost host(PORTICO_TEST_PLUGIN_FILE, config, options);  // the restart
        CHECK(host.site().data_dir == data_dir);
        CHECK(messageCount(host) == 1);
        std::string again;
        std::ifstream(data_dir + "/contact.secret") >> again;
        CHECK(again == secret);
    }
    std::filesystem::remove_all(std::filesystem::path(data_dir).parent_path());
}

TEST_CASE("the form is rendered inside the site's page when a page renderer knows its path") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE, kConfig);
    host.siteModel().publishRenderer(
        [](const std::string& path, const json& data) -> std::optional<std::string> {
            if (path != "/en/contact/" && path != "/en/contact/thanks/") return std::nullopt;
            return "<site path=\"" + path + "\">" + data.dump() + "</site>";
        });
    auto form = host.handle(RequestBuilder("GET", "/en/contact/"));
    REQUIRE(form.status == 200);
    REQUIRE(form.body.rfind("<site path=\"/en/contact/\">", 0) == 0);
    const json data = json::parse(form.body.substr(
        form.body.find('>') + 1, form.body.rfind("</site>") - form.body.find('>') - 1));
    CHECK(data.at("contact").at("action") == "/en/contact/");
    CHECK(data.at("contact").at("has_errors") == false);
    const std::string token = data.at("contact").at("token");
    host.clock().advance(5s);

    auto bad = post(host, "/en/contact/", "name=Ada&email=nope&message=Hi&token=" + token);
    CHECK(bad.status == 422);
    const json again = json::parse(bad.body.substr(
        bad.body.find('>') + 1, bad.body.rfind("</site>") - bad.body.find('>') - 1));
    const json& c = again.at("contact");
    CHECK(c.at("name").at("value") == "Ada");
    CHECK(c.at("name").at("error") == "");
    CHECK(c.at("email").at("error") == "Please enter a valid e-mail address.");
    CHECK(c.at("email").at("error_id") == "contact-email-error");
    CHECK(c.at("consent").at("checked") == false);
    CHECK(c.at("has_errors") == true);
    CHECK(
        c.at("errors") ==
        json::array({{{"id", "contact-email"}, {"message", "Please enter a valid e-mail address."}},
                     {{"id", "contact-consent"},
                      {"message", "Please agree to the storage of your details."}}}));

    auto thanks = host.handle(RequestBuilder("GET", "/en/contact/thanks/"));
    CHECK(thanks.body == "<site path=\"/en/contact/thanks/\">{}</site>");
    CHECK(thanks.headers.get("X-Robots-Tag") == "noindex");
    // A path no renderer knows keeps the plugin's own page.
    CHECK(host.handle(RequestBuilder("GET", "/de/kontakt/")).body.rfind("<!DOCTYPE html>", 0) == 0);
}

TEST_CASE("config problems are reported with their paths") {
    struct Case {
        json config;
        std::string path;
        std::string message;
    };
    const Case cases[] = {
        {{{"secret", "short"}}, "secret", "must be at least 16 characters long, got 5"},
        {{{"secret", "test-secret-0123456789"},
          {"pages", {{"fr", {{"path", "/fr/contact/"}, {"thanks_path", "/fr/merci/"}}}}}},
         "pages.fr",
         "no built-in texts for locale \"fr\"; use \"de\" or \"en\""},
        {{{"secret", "test-secret-0123456789"}, {"notify", {{"enabled", true}}}},
         "notify.from",
         "must be an e-mail address, got \"\""},
    };
    for (const auto& c : cases) {
        INFO(c.config.dump());
        try {
            TestHost host(PORTICO_TEST_PLUGIN_FILE, c.config);
            FAIL("accepted");
        } catch (const portico::sdk::ConfigError& e) {
            REQUIRE_FALSE(e.issues().empty());
            CHECK(e.issues().front().path == c.path);
            CHECK(e.issues().front().message == c.message);
        }
    }
}

TEST_CASE("portico contact list and export read the stored messages through the plugin") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE, kConfig);
    const std::string token = tokenIn(host.handle(RequestBuilder("GET", "/en/contact/")).body);
    host.clock().advance(5s);
    REQUIRE(post(host, "/en/contact/",
                 "name=Ada&email=ada%40example.com&message=Hello%0Athere&consent=yes&website="
                 "&token=" +
                     token)
                .status == 303);

    const auto listed = host.runCommand("contact", {"list"});
    CHECK(listed.status == 0);
    CHECK(listed.out ==
          "2026-01-01T00:00:05.000Z  [en]  Ada <ada@example.com>\n    Hello there\n1 message\n");
    CHECK(listed.err.empty());

    const auto exported = host.runCommand("contact", {"export"}, {{"format", "json"}});
    CHECK(exported.status == 0);
    const auto all = json::parse(exported.out);
    REQUIRE(all.size() == 1);
    CHECK(all[0].at("message") == "Hello\nthere");
    CHECK(all[0].at("consent") == true);
    CHECK(all[0].at("user_agent") == "test-agent/1");

    SECTION("a bad subcommand or format is a usage error") {
        const auto none = host.runCommand("contact");
        CHECK(none.status == 2);
        CHECK(none.err == "contact: expected 'list' or 'export', got \"\"\n");
        CHECK(host.runCommand("contact", {"li\x1b[2Jst"}).err ==
              "contact: expected 'list' or 'export', got \"li\\x1b[2Jst\"\n");
        const auto xml = host.runCommand("contact", {"export"}, {{"format", "xml"}});
        CHECK(xml.status == 2);
        CHECK(xml.err == "contact: --format: must be \"csv\" or \"json\", got \"xml\"\n");
        CHECK(xml.out.empty());
    }
}

TEST_CASE("the contact plugin publishes its retention and notification for the privacy page") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE, kConfig);
    CHECK(host.siteModel().facts().at("contact") ==
          json({{"retention_days", 30}, {"deletes", true}, {"notify", false}}));
    TestHost forever(PORTICO_TEST_PLUGIN_FILE,
                     {{"secret", "test-secret-0123456789"}, {"retention_days", 0}});
    CHECK(forever.siteModel().facts().at("contact").at("deletes") == false);
}
