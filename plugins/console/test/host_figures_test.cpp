#include "host_figures.hpp"

#include <catch2/catch.hpp>

using namespace portico::plugins::console;

TEST_CASE("The host figures are read from the Prometheus exposition") {
    const char* text =
        "# HELP portico_http_requests_total Requests answered.\n"
        "# TYPE portico_http_requests_total counter\n"
        "portico_http_requests_total{route=\"/\",method=\"GET\",status=\"200\",host=\"site\"} 90\n"
        "portico_http_requests_total{route=\"/x\",method=\"GET\",status=\"404\",host=\"site\"} 8\n"
        "portico_http_requests_total{route=\"/\\\"q\",method=\"POST\",status=\"503\",host=\"a,b\"} "
        "2\n"
        "portico_http_request_duration_seconds_bucket{route=\"/\",le=\"0.001\"} 40\n"
        "portico_http_request_duration_seconds_bucket{route=\"/\",le=\"0.01\"} 80\n"
        "portico_http_request_duration_seconds_bucket{route=\"/\",le=\"0.1\"} 90\n"
        "portico_http_request_duration_seconds_bucket{route=\"/\",le=\"+Inf\"} 90\n"
        "portico_http_request_duration_seconds_bucket{route=\"/x\",le=\"0.001\"} 10\n"
        "portico_http_request_duration_seconds_bucket{route=\"/x\",le=\"0.01\"} 10\n"
        "portico_http_request_duration_seconds_bucket{route=\"/x\",le=\"0.1\"} 10\n"
        "portico_http_request_duration_seconds_bucket{route=\"/x\",le=\"+Inf\"} 10\n"
        "portico_plugin_hook_seconds_sum{plugin=\"pages\",hook=\"route\"} 0.5\n"
        "portico_plugin_hook_seconds_count{plugin=\"pages\",hook=\"route\"} 1000\n"
        "garbage line without a value\n"
        "portico_plugin_hook_seconds_count{plugin=\"broken\n";
    const HostFigures f = readHostFigures(text);
    CHECK(f.requests == 100);
    CHECK(f.by_status.at("2xx") == 90);
    CHECK(f.by_status.at("4xx") == 8);
    CHECK(f.by_status.at("5xx") == 2);
    // 100 observations: 50 at or under 1 ms, 90 under 10 ms, all under 100 ms.
    CHECK(f.p50 == Approx(0.001));
    CHECK(f.p90 == Approx(0.01));
    CHECK(f.p99 == Approx(0.01 + 0.09 * 9 / 10.0));
    CHECK(f.hooks.at("pages").at("route").calls == 1000);
    CHECK(f.hooks.at("pages").at("route").seconds == Approx(0.5));
}

TEST_CASE("No requests yet means zero percentiles, not a division by zero") {
    const HostFigures f = readHostFigures("");
    CHECK(f.requests == 0);
    CHECK(f.p50 == 0);
    CHECK(f.p99 == 0);
}
