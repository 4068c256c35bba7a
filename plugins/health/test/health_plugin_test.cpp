#include <catch2/catch.hpp>

#include "portico/testkit/test_host.hpp"

using nlohmann::json;
using portico::testkit::RequestBuilder;
using portico::testkit::TestHost;

TEST_CASE("readiness answers 200 for pass and warn and 503 for fail, never cached by clients") {
    struct Row {
        const char* check;  // "" = no extra check
        bool draining;
        int code;
        const char* status;
    };
    const Row rows[] = {
        {"", false, 200, "pass"},
        {"warn", false, 200, "warn"},
        {"fail", false, 503, "fail"},
        {"", true, 503, "fail"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.check, row.draining);
        TestHost h(PORTICO_TEST_PLUGIN_FILE);
        h.status().setStarted(true);
        h.status().setDraining(row.draining);
        std::string result = row.check;
        if (!result.empty()) {
            h.status().addCheck("store:reachable", [result] {
                return portico::sdk::CheckResult{result, "3 ms", result == "pass" ? "" : "slow"};
            });
        }
        for (const char* path : {"/readyz", "/health", "/health/details"}) {
            CAPTURE(path);
            const bool admin = std::string(path) == "/health/details";
            auto res = admin ? h.handleAdmin(RequestBuilder("GET", path))
                             : h.handle(RequestBuilder("GET", path));
            CHECK(res.status == row.code);
            CHECK(res.headers.get("Content-Type") == "application/health+json");
            CHECK(res.headers.get("Cache-Control") == "no-store");
            auto doc = json::parse(res.body);
            CHECK(doc["status"] == row.status);
        }
        // Strangers get the status only; the details (admin listener) name every check.
        CHECK(json::parse(h.handle(RequestBuilder("GET", "/readyz")).body) ==
              json{{"status", row.status}});
        auto doc = json::parse(h.handleAdmin(RequestBuilder("GET", "/health/details")).body);
        // The public listener does not know the operator's report.
        CHECK(h.handle(RequestBuilder("GET", "/health/details")).status == 404);
        CHECK(doc["version"] == "0.0.0-test");
        CHECK(doc["checks"].contains("host:draining"));
        CHECK(doc["checks"].contains("store:reachable") == !result.empty());
    }
}

TEST_CASE(
    "public probes run the plugins' checks at most once per cache period, draining is at once") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE, json{{"cache_ms", 1000}});
    host.status().setStarted(true);
    int runs = 0;
    host.status().addCheck("database", [&runs] {
        ++runs;
        return portico::sdk::CheckResult{"pass", "", ""};
    });
    for (int i = 0; i < 50; ++i)
        REQUIRE(host.handle(RequestBuilder("GET", "/readyz")).status == 200);
    CHECK(runs == 1);
    host.clock().advance(std::chrono::milliseconds(999));
    host.handle(RequestBuilder("GET", "/health"));
    CHECK(runs == 1);
    host.clock().advance(std::chrono::milliseconds(1));
    host.handle(RequestBuilder("GET", "/readyz"));
    CHECK(runs == 2);
    host.status().setDraining(true);
    CHECK(host.handle(RequestBuilder("GET", "/readyz")).status == 503);
    CHECK(runs == 2);
    // The operator's detailed report always runs the checks.
    host.handleAdmin(RequestBuilder("GET", "/health/details"));
    CHECK(runs == 3);
}

TEST_CASE("liveness passes while draining and tells strangers the status only") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE);
    host.status().setDraining(true);
    auto res = host.handle(RequestBuilder("GET", "/livez"));
    CHECK(res.status == 200);
    CHECK(json::parse(res.body) == json{{"status", "pass"}});
}

TEST_CASE("the detailed report shows the uptime") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE);
    host.status().setDraining(true);
    host.status().setStartTime(portico::testkit::FakeClock::startTime());
    host.clock().advance(std::chrono::seconds(90));
    host.status().setStarted(true);
    auto res = host.handleAdmin(RequestBuilder("GET", "/health/details"));
    CHECK(res.status == 503);  // draining
    auto doc = json::parse(res.body);
    CHECK(doc["status"] == "fail");
    CHECK(doc["checks"]["uptime"][0]["observedValue"] == "90 s");
    CHECK(doc["checks"]["uptime"][0]["time"] == "2026-01-01T00:01:30Z");
}

TEST_CASE("the health paths are configurable") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE,
                  json{{"live_paths", {"/ping"}}, {"ready_paths", {"/ready"}}});
    host.status().setStarted(true);
    CHECK(host.handle(RequestBuilder("GET", "/ping")).status == 200);
    CHECK(host.handle(RequestBuilder("GET", "/ready")).status == 200);
    CHECK(host.handle(RequestBuilder("GET", "/readyz")).status == 404);
}
