#include <catch2/catch.hpp>

#include "portico/sdk/errors.hpp"
#include "portico/testkit/test_host.hpp"
#include "redis_server.hpp"

using nlohmann::json;
using portico::testkit::RequestBuilder;
using portico::testkit::TestHost;

namespace {

json formsConfig() {
    return json::parse(R"({
        "policies": {"forms": {"limit": 20, "period_s": 60, "burst": 3}},
        "rules": [{"path_prefix": "/assets/", "exempt": true},
                  {"methods": ["POST"], "policy": "forms"}]})");
}

}  // namespace

TEST_CASE("over the limit a client gets 429 with Retry-After and RateLimit fields") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE, formsConfig());
    auto post = [&](const char* client) {
        return host.handle(RequestBuilder("POST", "/contact").client(client));
    };
    for (int i = 0; i < 3; ++i) {
        auto ok = post("203.0.113.9");
        CHECK(ok.status == 404);  // passed the limiter; no route here
        CHECK(ok.headers.get("RateLimit-Policy") == "\"forms\";q=20;w=60");
        CHECK(ok.headers.get("RateLimit") ==
              "\"forms\";r=" + std::to_string(2 - i) + ";t=" + std::to_string(3 * (i + 1)));
    }
    auto limited = post("203.0.113.9");
    CHECK(limited.status == 429);
    CHECK(limited.headers.get("Retry-After") == "3");
    CHECK(limited.headers.get("RateLimit") == "\"forms\";r=0;t=3");
    CHECK(limited.body == "Too many requests. Please try again in 3 s.\n");
    CHECK(post("203.0.113.10").status == 404);  // another client is not affected
    host.clock().advance(std::chrono::seconds(3));
    CHECK(post("203.0.113.9").status == 404);
    auto text = host.metrics().renderPrometheus();
    CHECK(
        text.find("portico_ratelimit_decisions_total{policy=\"forms\",decision=\"limited\"} 1\n") !=
        std::string::npos);
    CHECK(
        text.find("portico_ratelimit_decisions_total{policy=\"forms\",decision=\"allowed\"} 5\n") !=
        std::string::npos);
}

TEST_CASE("the 429 body follows Accept and the client's language") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE, formsConfig());
    for (int i = 0; i < 3; ++i) host.handle(RequestBuilder("POST", "/x").client("192.0.2.1"));
    struct Row {
        const char* path;
        const char* accept;
        const char* language;
        const char* type;
        const char* contains;
    };
    const Row rows[] = {
        {"/x", "application/json", "", "application/json", "\"retry_after\":3"},
        {"/x", "text/html,*/*", "de-DE,de;q=0.9", "text/html; charset=utf-8", "Zu viele Anfragen."},
        {"/de/kontakt", "text/html", "", "text/html; charset=utf-8", "<html lang=\"de\">"},
        {"/x", "*/*", "en", "text/plain; charset=utf-8", "Too many requests."},
    };
    for (const auto& row : rows) {
        CAPTURE(row.path, row.accept, row.language);
        auto res = host.handle(RequestBuilder("POST", row.path)
                                   .client("192.0.2.1")
                                   .header("Accept", row.accept)
                                   .header("Accept-Language", row.language));
        CHECK(res.status == 429);
        CHECK(res.headers.get("Content-Type") == row.type);
        CHECK(res.body.find(row.contains) != std::string::npos);
    }
}

TEST_CASE("exempt paths, unmatched methods and spoofed headers do not count") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE, formsConfig());
    for (int i = 0; i < 10; ++i) {
        CHECK(host.handle(RequestBuilder("POST", "/assets/a.css").client("192.0.2.1")).status ==
              404);
        CHECK(host.handle(RequestBuilder("GET", "/").client("192.0.2.1")).status == 404);
    }
    // The host decides the client address (server.trusted_proxies); the limiter keys by it.
    for (int i = 0; i < 3; ++i) {
        CHECK(host.handle(RequestBuilder("POST", "/x").client("198.51.100.7")).status == 404);
    }
    CHECK(host.handle(RequestBuilder("POST", "/x").client("198.51.100.7")).status == 429);
    CHECK(host.handle(RequestBuilder("POST", "/x").client("198.51.100.8")).status == 404);
    // One IPv6 subscriber (a /64) is one client.
    for (int i = 0; i < 3; ++i) {
        CHECK(host.handle(
                      RequestBuilder("POST", "/x").client("2001:db8:1:2::" + std::to_string(i + 1)))
                  .status == 404);
    }
    CHECK(host.handle(RequestBuilder("POST", "/x").client("2001:db8:1:2::ff")).status == 429);
}

TEST_CASE("bad ratelimit configs are refused with every problem and its path") {
    struct Row {
        const char* config;
        std::vector<std::string> issues;
    };
    const Row rows[] = {
        {R"({"rules": [{"policy": "nope"}, {}, {"policy": "pages", "exempt": true}]})",
         {"rules[0].policy: unknown policy \"nope\"",
          "rules[1]: needs either a policy or \"exempt\": true",
          "rules[2]: needs either a policy or \"exempt\": true"}},
        {R"({"backend": "redis"})", {"redis.url: required when backend is \"redis\""}},
        {R"({"backend": "redis", "redis": {"url": "http://cache:6379"}})",
         {"redis.url: not a redis://[[user]:password@]host[:port][/db] URL, got "
          "\"http://cache:6379\""}},
        {R"({"backend": "memcached", "on_backend_error": "ignore",
             "redis": {"uri": "", "timeout_ms": 0}})",
         {"backend: must be one of \"memory\", \"redis\"; got \"memcached\"",
          "on_backend_error: must be one of \"allow\", \"deny\"; got \"ignore\"",
          "redis.timeout_ms: must be at least 1, got 0",
          "redis: unknown key 'uri'; did you mean 'url'?"}},
    };
    for (const auto& row : rows) {
        std::vector<std::string> got;
        try {
            TestHost host(PORTICO_TEST_PLUGIN_FILE, json::parse(row.config));
        } catch (const portico::sdk::ConfigError& e) {
            for (const auto& i : e.issues()) got.push_back(i.path + ": " + i.message);
        }
        CHECK(got == row.issues);
    }
}

TEST_CASE(
    "when Redis cannot be asked, on_backend_error allows or answers 503, and health says so") {
    // A port where nothing listens: every connection is refused.
    const std::string url =
        "redis://127.0.0.1:" + std::to_string(portico::plugins::ratelimit::test::freePort());
    for (const char* mode : {"allow", "deny"}) {
        CAPTURE(mode);
        auto config = formsConfig();
        config["backend"] = "redis";
        config["redis"] = {{"url", url}};
        config["on_backend_error"] = mode;
        TestHost host(PORTICO_TEST_PLUGIN_FILE, config);
        const bool allow = std::string(mode) == "allow";
        for (int i = 0; i < 5; ++i) {
            auto res = host.handle(RequestBuilder("POST", "/contact").client("203.0.113.9"));
            CHECK(res.status == (allow ? 404 : 503));  // 404: passed the limiter, no route
            CHECK(res.headers.has("Retry-After") == !allow);
            if (!allow) {
                CHECK(res.headers.get("Retry-After") == "1");
                CHECK(res.body == "Temporarily unavailable. Please try again in 1 s.\n");
            }
        }
        CHECK(host.handle(RequestBuilder("GET", "/").client("203.0.113.9")).status == 404);
        auto text = host.metrics().renderPrometheus();
        CHECK(text.find("portico_ratelimit_backend_errors_total 5\n") != std::string::npos);
        std::size_t warnings = 0;
        for (const auto& line : host.logLines()) {
            if (line.rfind("[warning] redis 127.0.0.1:", 0) == 0) ++warnings;
        }
        CHECK(warnings == 1);
        auto checks = host.status().runHealthChecks();
        REQUIRE(checks.size() == 1);
        CHECK(checks[0].first == "ratelimit:redis");
        CHECK(checks[0].second.status == (allow ? "warn" : "fail"));
        CHECK(checks[0].second.output.find("redis unreachable: ") == 0);
    }
}

TEST_CASE("replicas on one Redis share one limit") {
    portico::plugins::ratelimit::test::RedisServer redis;
    auto config = formsConfig();
    config["backend"] = "redis";
    config["redis"] = {{"url", redis.url()}};
    TestHost a(PORTICO_TEST_PLUGIN_FILE, config);
    TestHost b(PORTICO_TEST_PLUGIN_FILE, config);
    for (int i = 0; i < 3; ++i) {
        auto ok = (i % 2 ? b : a).handle(RequestBuilder("POST", "/contact").client("203.0.113.9"));
        CHECK(ok.status == 404);
        CHECK(ok.headers.get("RateLimit") ==
              "\"forms\";r=" + std::to_string(2 - i) + ";t=" + std::to_string(3 * (i + 1)));
    }
    for (auto* host : {&a, &b}) {
        auto limited = host->handle(RequestBuilder("POST", "/contact").client("203.0.113.9"));
        CHECK(limited.status == 429);
        CHECK(limited.headers.get("Retry-After") == "3");
    }
    CHECK(a.handle(RequestBuilder("POST", "/contact").client("203.0.113.10")).status == 404);
}

TEST_CASE("the in-memory limiter never blocks, the Redis one tells the host it may") {
    TestHost memory(PORTICO_TEST_PLUGIN_FILE, formsConfig());
    CHECK(memory.earlyHookCount() == 1);
    CHECK(memory.blockingEarlyHookCount() == 0);

    auto config = formsConfig();
    config["backend"] = "redis";
    config["redis"] = {{"url", "redis://127.0.0.1:1/0"}};  // never asked here
    TestHost redis(PORTICO_TEST_PLUGIN_FILE, config);
    CHECK(redis.earlyHookCount() == 1);
    CHECK(redis.blockingEarlyHookCount() == 1);
}
