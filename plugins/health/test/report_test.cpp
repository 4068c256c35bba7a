#include "report.hpp"

#include <catch2/catch.hpp>

#include "portico/testkit/test_host.hpp"

using namespace portico::plugins::health;

TEST_CASE("the overall status is the worst of the checks") {
    struct Row {
        std::vector<std::string> statuses;
        const char* overall;
    };
    const Row rows[] = {
        {{}, "pass"},
        {{"pass", "pass"}, "pass"},
        {{"pass", "warn"}, "warn"},
        {{"warn", "fail", "pass"}, "fail"},
    };
    for (const auto& row : rows) {
        std::vector<Check> checks;
        for (const auto& s : row.statuses) checks.push_back({"c", {s, "", ""}});
        CHECK(overallStatus(checks) == row.overall);
    }
}

TEST_CASE("a report lists each check with status, observed value, output and time") {
    auto now = portico::testkit::FakeClock::startTime();
    auto doc = renderReport({{"db:reachable", {"warn", "12 ms", "slow"}}, {"x", {"pass", "", ""}}},
                            "1.2.3", now);
    CHECK(
        doc.dump() ==
        R"({"checks":{"db:reachable":[{"observedValue":"12 ms","output":"slow","status":"warn",)"
        R"("time":"2026-01-01T00:00:00Z"}],"x":[{"status":"pass","time":"2026-01-01T00:00:00Z"}]},)"
        R"("serviceId":"portico","status":"warn","version":"1.2.3"})");
}

TEST_CASE("host checks fail while draining or not started and warn when degraded") {
    portico::testkit::TestStatus status;
    status.setPlugins({{"a", "1", "started", ""}, {"b", "1", "skipped", "broken"}});
    struct Row {
        bool started, draining, degraded;
        const char* plugins;
        const char* draining_status;
    };
    const Row rows[] = {
        {true, false, false, "pass", "pass"},
        {false, false, false, "fail", "pass"},
        {true, true, false, "pass", "fail"},
        {true, false, true, "warn", "pass"},
    };
    for (const auto& row : rows) {
        status.setStarted(row.started);
        status.setDraining(row.draining);
        status.setDegraded(row.degraded ? std::vector<std::string>{"plugins.b: broken"}
                                        : std::vector<std::string>{});
        auto checks = hostChecks(status);
        REQUIRE(checks.size() == 2);
        CHECK(checks[0].name == "plugins:started");
        CHECK(checks[0].result.status == row.plugins);
        CHECK(checks[0].result.observed == "1/2");
        CHECK(checks[1].name == "host:draining");
        CHECK(checks[1].result.status == row.draining_status);
    }
}
