// The operator plugins (headers, health, metrics, analytics, ratelimit) through the real
// process: each switched on and off in config, spoken to over loopback.
#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "harness.hpp"

using namespace portico::tests;
using nlohmann::json;

namespace {

// Polls `probe` until it returns true or `deadline` passes.
template <typename F>
bool eventually(F probe, std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
    auto until = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < until) {
        if (probe()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

std::size_t count(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

const char* const kAdmin = R"(  "admin": {"port": 0})";

}  // namespace

TEST_CASE("security headers are on every answer when the headers plugin is on, and only then") {
    for (bool enabled : {true, false}) {
        CAPTURE(enabled);
        TempDir dir;
        Server server(testConfig(dir, std::string(R"({"echo": {"early_header": "X-Early"},
            "headers": {"enabled": )") + (enabled ? "true" : "false") +
                                          R"(, "server": "portico"}})"));
        auto page = request(server.port(), "GET", "/fixture/page");
        REQUIRE(page.status == 200);
        std::vector<Response> answers{
            page,
            request(server.port(), "GET", "/fixture/page",
                    {{"If-None-Match", page.header("etag")}}),
            request(server.port(), "GET", "/missing"),
            request(server.port(), "GET", "/fixture/boom"),
            request(server.port(), "GET", "/fixture", {{"X-Early", "1"}}),
        };
        const int statuses[] = {200, 304, 404, 500, 299};
        for (std::size_t i = 0; i < answers.size(); ++i) {
            CAPTURE(statuses[i]);
            const auto& r = answers[i];
            CHECK(r.status == statuses[i]);
            CHECK(r.has("strict-transport-security") == enabled);
            CHECK(r.has("content-security-policy") == enabled);
            CHECK((r.header("x-content-type-options") == "nosniff") == enabled);
            CHECK((r.header("server") == "portico") == enabled);
            if (enabled) {
                CHECK(r.header("strict-transport-security") == "max-age=31536000");
                CHECK(r.header("referrer-policy") == "strict-origin-when-cross-origin");
                CHECK(r.header("cross-origin-opener-policy") == "same-origin");
                CHECK(r.header("content-security-policy").find("frame-ancestors 'none'") !=
                      std::string::npos);
                CHECK(r.header("content-security-policy").find("unsafe-inline") ==
                      std::string::npos);
            }
        }
    }
}

TEST_CASE("readiness turns 503 on SIGTERM while the server still answers, then it stops") {
    TempDir dir;
    Server server(testConfig(dir, R"({"health": {}, "echo": {}})",
                             std::string(kAdmin) + R"(, "server": {"drain_delay_ms": 3000})"));
    auto ready = request(server.port(), "GET", "/readyz");
    CHECK(ready.status == 200);
    CHECK(ready.header("content-type") == "application/health+json");
    CHECK(ready.header("cache-control") == "no-store");
    CHECK(json::parse(ready.body) == json{{"status", "pass"}});  // no versions, no checks
    auto details = request(server.adminPort(), "GET", "/health/details");
    REQUIRE(details.status == 200);
    auto doc = json::parse(details.body);
    CHECK(doc["status"] == "pass");
    CHECK(doc["checks"]["host:draining"][0]["status"] == "pass");
    CHECK(request(server.port(), "GET", "/health").status == 200);
    CHECK(request(server.port(), "GET", "/livez").status == 200);

    server.process().signal(SIGTERM);
    Response during;
    REQUIRE(eventually([&] {
        during = request(server.port(), "GET", "/readyz");
        return during.status == 503;
    }));
    CHECK(json::parse(during.body) == json{{"status", "fail"}});
    CHECK(json::parse(request(server.adminPort(), "GET", "/health/details")
                          .body)["checks"]["host:draining"][0]["status"] == "fail");
    CHECK(request(server.port(), "GET", "/livez").status == 200);
    CHECK(request(server.port(), "GET", "/fixture").status == 200);  // still serving
    CHECK(server.process().wait(std::chrono::seconds(20)) == 0);
}

TEST_CASE("portico healthcheck exits 0 for a ready server and 1 otherwise") {
    TempDir dir;
    Server server(testConfig(dir, R"({"health": {}, "echo": {"health": "fail"}})"));
    const std::string base = "http://127.0.0.1:" + std::to_string(server.port());
    auto live = runPortico({"healthcheck", base + "/livez"});
    CHECK(live.status == 0);
    CHECK(live.out.find("200") != std::string::npos);
    auto ready = runPortico({"healthcheck", base + "/readyz"});
    CHECK(ready.status == 1);
    CHECK(ready.err.find("503") != std::string::npos);
    auto closed =
        runPortico({"healthcheck", "http://127.0.0.1:" + std::to_string(freePort()) + "/readyz"});
    CHECK(closed.status == 1);
    CHECK_FALSE(closed.err.empty());
    auto https = runPortico({"healthcheck", "https://127.0.0.1/readyz"});
    CHECK(https.status == 1);
    CHECK(https.err.find("only http://") != std::string::npos);
}

TEST_CASE("portico healthcheck without a URL probes /readyz on the config's port") {
    TempDir dir;
    int port = freePort();
    std::string config = testConfig(dir, R"({"health": {}})");
    config =
        std::regex_replace(config, std::regex("\"port\": 0"), "\"port\": " + std::to_string(port),
                           std::regex_constants::format_first_only);  // listen, not admin
    Server server(config);
    REQUIRE(server.port() == port);
    auto result = runPortico({"healthcheck", "--config", server.configFile()});
    CHECK(result.status == 0);
    CHECK(result.out.find("/readyz: 200") != std::string::npos);
}

TEST_CASE("the admin listener serves Prometheus metrics that promtool accepts, and /plugins") {
    TempDir dir;
    Server server(testConfig(dir, R"({"metrics": {}, "echo": {},
        "ratelimit": {"policies": {"p": {"limit": 100, "burst": 100}}, "rules": [{"policy": "p"}]}})",
                             kAdmin));
    int admin = server.adminPort();
    for (int i = 0; i < 3; ++i) REQUIRE(request(server.port(), "GET", "/fixture").status == 200);
    request(server.port(), "GET", "/fixture/boom");
    request(server.port(), "BREW", "/fixture", {{"Host", "elsewhere.example"}});
    CHECK(request(server.port(), "GET", "/metrics").status == 404);  // not on the public port

    auto metrics = request(admin, "GET", "/metrics");
    REQUIRE(metrics.status == 200);
    CHECK(metrics.header("content-type") == "text/plain; version=0.0.4; charset=utf-8");
    const std::string& text = metrics.body;
    CHECK(text.find(
              "portico_http_requests_total{route=\"GET /fixture\",method=\"GET\",status=\"200\","
              "host=\"localhost\"} 3\n") != std::string::npos);
    CHECK(text.find("method=\"OTHER\",status=\"405\",host=\"_other\"} 1\n") != std::string::npos);
    CHECK(text.find("portico_http_request_duration_seconds_bucket{route=\"GET /fixture\"") !=
          std::string::npos);
    CHECK(text.find("portico_plugin_errors_total{plugin=\"echo\"} 1\n") != std::string::npos);
    CHECK(text.find("portico_plugin_hook_seconds_count{plugin=\"ratelimit\",hook=\"early\"}") !=
          std::string::npos);
    CHECK(text.find("portico_ratelimit_decisions_total{policy=\"p\",decision=\"allowed\"} 6\n") !=
          std::string::npos);
    CHECK(text.find("portico_build_info{version=") != std::string::npos);
    CHECK(text.find("\nprocess_resident_memory_bytes ") != std::string::npos);
    CHECK(text.find("\nprocess_start_time_seconds ") != std::string::npos);

    std::string file = dir.write("metrics.txt", text);
    std::string log = dir.path() + "/promtool.txt";
    int rc = std::system(("promtool check metrics < '" + file + "' > '" + log + "' 2>&1").c_str());
    INFO(readFile(log));
    CHECK(rc == 0);

    auto plugins = request(admin, "GET", "/plugins");
    REQUIRE(plugins.status == 200);
    auto doc = json::parse(plugins.body);
    REQUIRE(doc["plugins"].size() == 3);
    CHECK(doc["plugins"][0]["id"] == "metrics");
    CHECK(doc["plugins"][0]["state"] == "started");
    CHECK(doc["plugins"][2]["order"] == 3);
}

TEST_CASE("analytics inserts its script once into prebuilt and dynamic HTML, with its CSP origin") {
    const std::string analytics =
        R"("analytics": {"enabled": ${ANALYTICS:-true}, "provider": "plausible",
        "script_url": "https://stats.example.net/js/script.js", "domains": ["localhost"]})";
    for (const char* on : {"true", "false"}) {
        CAPTURE(on);
        TempDir dir;
        // A second policy on one path: each answer must get its own policy amended.
        std::string config =
            testConfig(dir, R"({"echo": {}, "headers": {"paths": [{"prefix": "/fixture/dyndoc",)"
                            R"( "csp": {"img-src": ["https://img.example"]}}]}, )" +
                                analytics + "}");
        config = std::regex_replace(config, std::regex("\\$\\{ANALYTICS:-true\\}"), on);
        Server server(config, {});
        const bool active = std::string(on) == "true";
        const std::string tag =
            "<script defer data-domain=\"localhost\" "
            "src=\"https://stats.example.net/js/script.js\"></script></head>";
        for (const std::string path :
             {"/fixture/doc", "/fixture/dyndoc", "/fixture/doc", "/fixture/dyndoc"}) {
            CAPTURE(path);
            auto get = request(server.port(), "GET", path);
            REQUIRE(get.status == 200);
            CHECK(count(get.body, tag) == (active ? 1u : 0u));
            CHECK(get.header("content-length") == std::to_string(get.body.size()));
            auto csp = get.header("content-security-policy");
            CHECK((csp.find("script-src 'self' https://stats.example.net") != std::string::npos) ==
                  active);
            CHECK((csp.find("connect-src 'self' https://stats.example.net") != std::string::npos) ==
                  active);
            CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
            CHECK((csp.find("https://img.example") != std::string::npos) ==
                  (path == "/fixture/dyndoc"));
            auto head = request(server.port(), "HEAD", path);
            CHECK(head.header("content-length") == get.header("content-length"));
            auto gz = request(server.port(), "GET", path, {{"Accept-Encoding", "gzip"}});
            CHECK(gz.header("etag") == get.header("etag"));
        }
        // non-HTML answers are left alone
        CHECK(request(server.port(), "GET", "/fixture").body == "hello from echo");
    }
}

TEST_CASE("the rate limiter lets limit + burst through and answers 429 with Retry-After") {
    TempDir dir;
    Server server(testConfig(dir, R"({"health": {}, "echo": {}, "ratelimit": {
        "policies": {"forms": {"limit": 5, "period_s": 60, "burst": 3}},
        "rules": [{"path_prefix": "/readyz", "exempt": true},
                  {"methods": ["POST"], "policy": "forms"}]}})",
                             R"("server": {"trusted_proxies": ["127.0.0.2/32"]})"));
    int passed = 0, limited = 0;
    Response last;
    for (int i = 0; i < 20; ++i) {
        last = request(server.port(), "POST", "/fixture/echo",
                       {{"X-Forwarded-For", "198.51.100." + std::to_string(i)}}, "x");
        (last.status == 200 ? passed : limited) += 1;
        if (last.status == 429) {
            CHECK(std::stoi(last.header("retry-after")) >= 1);
            CHECK(last.header("ratelimit-policy") == "\"forms\";q=5;w=60");
        }
    }
    // 127.0.0.1 is not a trusted proxy: the spoofed header changes nothing; one client.
    CHECK(passed >= 3);
    CHECK(passed <= 5 + 3);
    CHECK(limited == 20 - passed);
    CHECK(last.status == 429);
    CHECK(last.header("content-type") == "text/plain; charset=utf-8");
    for (int i = 0; i < 30; ++i) CHECK(request(server.port(), "GET", "/readyz").status == 200);
    CHECK(request(server.port(), "GET", "/fixture").status == 200);  // GET is not limited
}
