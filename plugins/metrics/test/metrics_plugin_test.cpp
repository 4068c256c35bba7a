#include <catch2/catch.hpp>

#include "portico/sdk/abi.hpp"
#include "portico/testkit/test_host.hpp"

using nlohmann::json;
using portico::testkit::RequestBuilder;
using portico::testkit::TestHost;

namespace {

bool has(const std::string& text, const std::string& line) {
    return text.find(line) != std::string::npos;
}

}  // namespace

TEST_CASE("requests are counted by route, folded method, status and folded host") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE);
    host.handle(RequestBuilder("GET", "/nothing-here").header("Host", "localhost"));
    host.handle(RequestBuilder("BREW", "/nothing-here").header("Host", "attacker.example"));
    auto res = host.handleAdmin(RequestBuilder("GET", "/metrics"));
    REQUIRE(res.status == 200);
    CHECK(res.headers.get("Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
    const std::string& text = res.body;
    CHECK(has(text,
              "portico_http_requests_total{route=\"_none\",method=\"GET\",status=\"404\","
              "host=\"localhost\"} 1\n"));
    CHECK(has(text,
              "portico_http_requests_total{route=\"_none\",method=\"OTHER\",status=\"404\","
              "host=\"_other\"} 1\n"));
    CHECK(has(text,
              "portico_http_request_duration_seconds_count{route=\"_none\",method=\"GET\","
              "status=\"404\",host=\"localhost\"} 1\n"));
    CHECK(has(text, "portico_build_info{version=\"0.0.0-test\",plugin_abi=\"" +
                        std::to_string(PORTICO_ABI_MAJOR) + "." +
                        std::to_string(PORTICO_ABI_MINOR) + "\"} 1\n"));
    CHECK(has(text, "# TYPE process_resident_memory_bytes gauge\n"));
    // The scrape arrives on the admin listener, which runs no hooks: it is not counted, and
    // the public requests before it are complete.
    CHECK(has(text, "portico_http_requests_in_flight 0\n"));
}

TEST_CASE("the plugin list shows each plugin's version, order and state") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE);
    host.status().setStarted(true);
    host.status().setPlugins(
        {{"pages", "0.1.0", "started", ""}, {"analytics", "0.2.0", "skipped", "bad script_url"}});
    auto res = host.handleAdmin(RequestBuilder("GET", "/plugins"));
    REQUIRE(res.status == 200);
    auto doc = json::parse(res.body);
    CHECK(doc["plugins"] == json::parse(R"([
        {"id": "pages", "version": "0.1.0", "order": 1, "state": "started"},
        {"id": "analytics", "version": "0.2.0", "order": 2, "state": "skipped",
         "detail": "bad script_url"}])"));
    CHECK(doc["started"] == true);
}

TEST_CASE("the plugin list shows the serving generation and every plugin library in memory") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE);
    host.status().setGeneration(3);
    const auto at = std::chrono::system_clock::from_time_t(1767225600);  // 2026-01-01T00:00:00Z
    host.status().setLibraries({{"blog", "1.0.0", "/srv/plugins/blog.so", 1, at, "retiring"},
                                {"blog", "1.1.0", "/srv/plugins/blog.so", 3, at, "serving"}});
    auto res = host.handleAdmin(RequestBuilder("GET", "/plugins"));
    REQUIRE(res.status == 200);
    auto doc = json::parse(res.body);
    CHECK(doc["generation"] == 3);
    CHECK(doc["libraries"] == json::parse(R"([
        {"id": "blog", "version": "1.0.0", "path": "/srv/plugins/blog.so", "generation": 1,
         "loaded_at": "2026-01-01T00:00:00Z", "state": "retiring"},
        {"id": "blog", "version": "1.1.0", "path": "/srv/plugins/blog.so", "generation": 3,
         "loaded_at": "2026-01-01T00:00:00Z", "state": "serving"}])"));
}

TEST_CASE("bucket bounds must ascend") {
    try {
        TestHost host(PORTICO_TEST_PLUGIN_FILE, json{{"buckets", {0.1, 0.5, 0.2}}});
        FAIL("accepted descending buckets");
    } catch (const portico::sdk::ConfigError& e) {
        REQUIRE(e.issues().size() == 1);
        CHECK(e.issues()[0].path == "buckets[2]");
        CHECK(e.issues()[0].message == "must be greater than the one before, got 0.2");
    }
}
