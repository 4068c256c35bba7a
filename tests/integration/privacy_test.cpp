// The privacy page of the shipped site through the real process: its sections on visitors' data
// come from what the plugins publish about their settings (SiteModel::publishFacts), so a
// changed setting changes the page and it cannot drift from the config.
#include <catch2/catch.hpp>

#include "harness.hpp"

using namespace portico::tests;

namespace {

// The English and German privacy pages of the shipped site served with `overrides` on top of
// the shipped environment.
std::pair<std::string, std::string> privacyPages(
    const std::map<std::string, std::string>& overrides) {
    TempDir dir;
    const int port = freePort();
    auto env = shippedEnv(dir, port);
    for (const auto& [name, value] : overrides) env[name] = value;
    Process server({porticoBin(), "serve", "--config", "config/portico.json"}, env, sourceDir());
    REQUIRE(server.waitForOutput("portico listening on"));
    const auto en = request(port, "GET", "/en/privacy/");
    const auto de = request(port, "GET", "/de/datenschutz/");
    REQUIRE(en.status == 200);
    REQUIRE(de.status == 200);
    return {en.body, de.body};
}

bool has(const std::string& body, const std::string& text) {
    return body.find(text) != std::string::npos;
}

}  // namespace

TEST_CASE(
    "the privacy page states the counting, analytics and contact settings the site runs with") {
    SECTION("as shipped: counting on, totals kept 400 days, messages 365, no third party") {
        const auto [en, de] = privacyPages({});
        CHECK(has(en, "without cookies, without a script and without any third party"));
        CHECK(has(en, "The totals are deleted after 400 days"));
        CHECK(has(de, "Die Summen werden nach 400 Tagen gelöscht"));
        CHECK(has(en, "Messages are deleted after 365 days."));
        CHECK(has(de, "Nachrichten werden nach 365 Tagen gelöscht."));
        CHECK_FALSE(has(en, "Analytics service"));
        CHECK_FALSE(has(en, "This site does not count visits."));
        CHECK(has(en, "Your rights"));
    }
    SECTION("a shorter retention is what the page says") {
        const auto [en, de] = privacyPages({{"INSIGHTS_RETENTION_DAYS", "90"}});
        CHECK(has(en, "The totals are deleted after 90 days"));
        CHECK(has(de, "Die Summen werden nach 90 Tagen gelöscht"));
        CHECK_FALSE(has(en, "400 days"));
    }
    SECTION("counting off: the page says the site does not count, and names no hash") {
        const auto [en, de] = privacyPages({{"INSIGHTS_ENABLED", "false"}});
        CHECK(has(en, "This site does not count visits."));
        CHECK(has(de, "Diese Website zählt keine Besuche."));
        CHECK_FALSE(has(en, "unique visitors per day"));
    }
    SECTION("a third-party analytics script is named with its origin") {
        const auto [en, de] =
            privacyPages({{"ANALYTICS_ENABLED", "true"},
                          {"ANALYTICS_PROVIDER", "plausible"},
                          {"ANALYTICS_DOMAIN", "localhost"},
                          {"ANALYTICS_SCRIPT_URL", "https://stats.example.net/js/script.js"}});
        CHECK(has(en, "Analytics service"));
        CHECK(has(en, "load a counting script from https://stats.example.net,"));
        CHECK(has(de, "laden ein Zählskript von https://stats.example.net,"));
    }
}
