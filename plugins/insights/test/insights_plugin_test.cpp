#include <Poco/Data/Statement.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "insights_store.hpp"
#include "portico/sdk/data.hpp"
#include "portico/testkit/test_host.hpp"

using namespace portico::plugins::insights;
using nlohmann::json;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using portico::testkit::TestHost;

namespace {

std::int64_t rowsIn(TestHost& host, const std::string& table) {
    auto session = host.data().session();
    Poco::Int64 n = 0;
    session << "SELECT COUNT(*) FROM " + table, into(n), now;
    return n;
}

Batch sampleBatch() {
    Batch b;
    b.counts[CountKey{"2026-12-02T23", "page", "/en/"}] = 2;
    b.counts[CountKey{"2026-12-02T23", "referrer", "=cmd|' /C calc'!A0"}] = 1;
    b.counts[CountKey{"2026-12-03T00", "page", "/de/"}] = 1;
    b.visitors.emplace("2026-12-02", "aaaa");
    b.visitors.emplace("2026-12-02", "bbbb");
    b.visitors.emplace("2026-12-03", "cccc");
    return b;
}

}  // namespace

TEST_CASE("the insights plugin counts after the answer and schedules its flush and retention") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE, {{"flush_seconds", 5}});
    CHECK(host.completionHookCount() == 1);
    CHECK(host.routes().empty());
    const auto tasks = host.scheduler().taskNames();
    CHECK(std::count(tasks.begin(), tasks.end(), "insights flush") == 1);
    CHECK(std::count(tasks.begin(), tasks.end(), "insights retention") == 1);
    for (const char* table :
         {"insights_hourly", "insights_daily", "insights_visitors", "insights_salts"}) {
        CHECK(rowsIn(host, table) == 0);
    }
}

TEST_CASE("an excluded path that is no path is a config error with its JSON path") {
    CHECK_THROWS_WITH(TestHost(PORTICO_TEST_PLUGIN_FILE, {{"exclude_paths", {"/ok/", "preview"}}}),
                      Catch::Contains("exclude_paths[1]") && Catch::Contains("\"preview\""));
    CHECK_THROWS_WITH(TestHost(PORTICO_TEST_PLUGIN_FILE, {{"flush_seconds", 0}}),
                      Catch::Contains("flush_seconds"));
}

TEST_CASE("every replica gets the salt the first one stored for a day") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE);
    InsightsStore store(host.data());
    CHECK(store.saltFor("2026-12-03", "first") == "first");
    CHECK(store.saltFor("2026-12-03", "second") == "first");
    CHECK(store.saltFor("2026-12-04", "third") == "third");
}

TEST_CASE("a day rolled over keeps its visitor count and forgets its hashes and salt") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE);
    InsightsStore store(host.data());
    store.saltFor("2026-12-02", "old");
    store.saltFor("2026-12-03", "new");
    store.write(sampleBatch());
    store.write(sampleBatch());  // counts add up, hashes stay one per visitor and day
    CHECK(store.rollover("2026-12-03") == 2);
    CHECK(rowsIn(host, "insights_visitors") == 1);
    CHECK(rowsIn(host, "insights_salts") == 1);
    CHECK(store.rollover("2026-12-03") == 0);  // again: nothing more, nothing counted twice
    const auto rows = store.figures("2026-12-02", "2026-12-03");
    REQUIRE(rows.size() == 5);
    CHECK(rows[0].period == "2026-12-02");
    CHECK(rows[0].dimension == "visitors");
    CHECK(rows[0].count == 2);
    CHECK(rows[1].period == "2026-12-02T23");
    CHECK(rows[1].value == "/en/");
    CHECK(rows[1].count == 4);
    CHECK(rows[3].period == "2026-12-03");
    CHECK(rows[3].count == 1);  // today, counted from its hashes
    CHECK(store.figures("2026-12-03", "2026-12-03").size() == 2);
    CHECK(store.deleteBefore("2026-12-03") == 3);  // two hourly rows, one daily
    CHECK(store.figures("2026-12-01", "2026-12-03").size() == 2);
}

TEST_CASE("insights export writes formula-safe CSV and JSON and refuses bad days") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE);
    InsightsStore store(host.data());
    store.write(sampleBatch());
    const auto csv =
        host.runCommand("insights", {"export"}, {{"from", "2026-12-02"}, {"to", "2026-12-03"}});
    INFO(csv.err);
    REQUIRE(csv.status == 0);
    CHECK(csv.out.rfind("\"period\",\"dimension\",\"value\",\"count\"\r\n", 0) == 0);
    CHECK(csv.out.find("\"2026-12-02T23\",\"referrer\",\"'=cmd|' /C calc'!A0\",\"1\"\r\n") !=
          std::string::npos);
    const auto js = host.runCommand(
        "insights", {"export"}, {{"format", "json"}, {"from", "2026-12-03"}, {"to", "2026-12-03"}});
    REQUIRE(js.status == 0);
    const auto rows = json::parse(js.out);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0] ==
          json{{"period", "2026-12-03"}, {"dimension", "visitors"}, {"value", ""}, {"count", 1}});
    CHECK(rows[1].at("value") == "/de/");
    const auto bad = host.runCommand("insights", {"export"}, {{"from", "yesterday\x1b[2J"}});
    CHECK(bad.status == 2);
    CHECK(bad.err.find("--from: must be a day as YYYY-MM-DD, got \"yesterday\\x1b[2J\"") !=
          std::string::npos);
    // The test kit's clock says 2026-01-01: --to defaults to that day, before --from.
    const auto reversed = host.runCommand("insights", {"export"}, {{"from", "2026-12-02"}});
    CHECK(reversed.status == 2);
    CHECK(reversed.err.find("--from 2026-12-02 is after --to 2026-01-01") != std::string::npos);
    CHECK(host.runCommand("insights", {"import"}).status == 2);
    CHECK(host.runCommand("insights", {"export"}, {{"format", "xml"}}).status == 2);
}

TEST_CASE("the insights plugin publishes its retention and what it keeps for the privacy page") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE, {{"retention_days", 90}});
    const auto facts = host.siteModel().facts().at("insights");
    CHECK(facts.at("retention_days") == 90);
    CHECK(facts.at("dimensions").size() == 10);
}
