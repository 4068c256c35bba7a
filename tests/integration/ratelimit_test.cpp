// The ratelimit plugin through the real process: state shared by two portico processes in one
// real redis-server (started and stopped here by PID), its outage and recovery, and the
// in-memory table staying within max_keys under a flood of distinct clients.
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <regex>
#include <thread>

#include "harness.hpp"

using namespace portico::tests;

namespace {

// The value of a metric line `name` (with its labels) on the admin listener; -1 when absent.
double metric(int admin, const std::string& name) {
    auto text = request(admin, "GET", "/metrics").body;
    auto at = text.find("\n" + name + " ");
    return at == std::string::npos ? -1 : std::stod(text.substr(at + name.size() + 2));
}

std::size_t count(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

// redis-server on 127.0.0.1:`port`, no persistence, in `dir`.
std::unique_ptr<Process> startRedis(const TempDir& dir, int port) {
    REQUIRE(access(PORTICO_REDIS_SERVER, X_OK) == 0);  // scripts/setup.sh installs redis-server
    auto redis = std::make_unique<Process>(
        std::vector<std::string>{PORTICO_REDIS_SERVER, "--port", std::to_string(port), "--bind",
                                 "127.0.0.1", "--save", "", "--appendonly", "no", "--dir",
                                 dir.path()},
        std::map<std::string, std::string>{}, dir.path());
    REQUIRE(redis->waitForOutput("Ready to accept connections"));
    return redis;
}

std::string redisConfig(const TempDir& dir, int redis_port, const char* on_error) {
    return testConfig(dir,
                      std::string(R"({"echo": {}, "health": {"cache_ms": 0}, "metrics": {},
        "ratelimit": {"backend": "redis", "on_backend_error": ")") +
                          on_error + R"(",
          "redis": {"url": "redis://127.0.0.1:)" +
                          std::to_string(redis_port) + R"(/0",
                    "key_prefix": "it:rl:"},
          "policies": {"shared": {"limit": 10, "period_s": 3600, "burst": 5}},
          "rules": [{"path_prefix": "/readyz", "exempt": true},
                    {"path_prefix": "/fixture", "policy": "shared"}]}})",
                      R"(  "admin": {"port": 0})");
}

}  // namespace

TEST_CASE("two portico processes on one redis-server enforce one limit and survive its outage") {
    TempDir redis_dir, dir_a, dir_b;
    const int redis_port = freePort();
    auto redis = startRedis(redis_dir, redis_port);
    Server a(redisConfig(dir_a, redis_port, "allow"));
    Server b(redisConfig(dir_b, redis_port, "deny"));
    const int admin_a = a.adminPort(), admin_b = b.adminPort();

    // Burst 5, one more request every 6 minutes: alternating, 5 pass in total, not 5 each.
    int passed = 0;
    for (int i = 0; i < 20; ++i) {
        auto res = request((i % 2 ? b : a).port(), "GET", "/fixture");
        CAPTURE(i);
        if (i < 5) {
            REQUIRE(res.status == 200);
            CHECK(res.header("ratelimit") ==
                  "\"shared\";r=" + std::to_string(4 - i) + ";t=" + std::to_string(360 * (i + 1)));
            ++passed;
        } else {
            REQUIRE(res.status == 429);
            CHECK(res.header("retry-after") == "360");
        }
    }
    CHECK(passed == 5);
    CHECK(request(a.port(), "GET", "/fixture", {}).status == 429);

    // Redis goes away: a (allow) lets requests through, b (deny) answers 503; both warn once.
    redis->signal(SIGTERM);
    REQUIRE(redis->wait() == 0);
    for (int i = 0; i < 10; ++i) {
        CHECK(request(a.port(), "GET", "/fixture").status == 200);
        auto denied = request(b.port(), "GET", "/fixture");
        CHECK(denied.status == 503);
        CHECK(denied.header("retry-after") == "1");
    }
    for (Server* s : {&a, &b}) {
        const std::string log = s->process().out() + s->process().err();
        CHECK(count(log, "unavailable (") == 1);  // not one line per request
    }
    CHECK(count(a.process().out() + a.process().err(), "(on_backend_error: allow)") == 1);
    CHECK(metric(admin_a, "portico_ratelimit_backend_errors_total") == 10);
    CHECK(metric(admin_b, "portico_ratelimit_backend_errors_total") == 10);
    CHECK(request(a.port(), "GET", "/readyz").body == "{\"status\":\"warn\"}\n");
    auto ready_a = request(admin_a, "GET", "/health/details");
    CHECK(ready_a.status == 200);
    CHECK(ready_a.body.find("\"ratelimit:redis\":[{") != std::string::npos);
    CHECK(ready_a.body.find("\"status\":\"warn\"") != std::string::npos);
    CHECK(request(b.port(), "GET", "/readyz").status == 503);

    // Back on the same port, empty: both recover within the 1 s back-off and share again.
    redis = startRedis(redis_dir, redis_port);
    Response first;
    for (int i = 0; i < 300; ++i) {
        first = request(b.port(), "GET", "/fixture");
        if (first.status != 503) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    REQUIRE(first.status == 200);
    CHECK(first.header("ratelimit") == "\"shared\";r=4;t=360");
    // a may still be in its back-off, letting requests through unlimited (no RateLimit field).
    Response second;
    for (int i = 0; i < 300; ++i) {
        second = request(a.port(), "GET", "/fixture");
        if (second.has("ratelimit")) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(second.status == 200);
    CHECK(second.header("ratelimit") == "\"shared\";r=3;t=720");
    passed = 2;
    for (int i = 0; i < 10; ++i) {
        auto res = request((i % 2 ? b : a).port(), "GET", "/fixture");
        CHECK((res.status == 200 || res.status == 429));
        CHECK(res.has("ratelimit"));
        passed += res.status == 200 ? 1 : 0;
    }
    CHECK(passed == 5);
    CHECK(request(admin_a, "GET", "/health/details").body.find("\"status\":\"warn\"") ==
          std::string::npos);
    CHECK(request(b.port(), "GET", "/readyz").status == 200);
    CHECK(count(b.process().out() + b.process().err(), "reachable again") == 1);
    redis->signal(SIGTERM);
    CHECK(redis->wait() == 0);
}

TEST_CASE("the in-memory table stays within max_keys under a flood of distinct clients") {
    TempDir dir;
    Server server(
        testConfig(dir, R"({"echo": {}, "metrics": {}, "ratelimit": {
        "max_keys": 500,
        "policies": {"p": {"limit": 10, "period_s": 60, "burst": 5}},
        "rules": [{"path_prefix": "/fixture", "policy": "p"}]}})",
                   R"(  "admin": {"port": 0}, "server": {"trusted_proxies": "127.0.0.1"})"));
    const int admin = server.adminPort();
    for (int i = 0; i < 5000; ++i) {
        const std::string client =
            "198.18." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1);
        REQUIRE(request(server.port(), "GET", "/fixture", {{"X-Forwarded-For", client}}).status ==
                200);
        if (i == 99) CHECK(metric(admin, "portico_ratelimit_keys") == 100);
    }
    const double keys = metric(admin, "portico_ratelimit_keys");
    CHECK(keys <= 500);
    CHECK(keys >= 400);  // full, give or take the shards
}

TEST_CASE(
    "the 429 page speaks the visitor's language: English for an English visitor, German for a "
    "German one") {
    TempDir dir;
    Server server(R"({
  "listen": {"address": "127.0.0.1", "port": 0},
  "admin": {"port": 0},
  "data_dir": ")" +
                  dir.path() + R"(/data",
  "log": {"level": "info"},
  "site": {"base_url": "http://localhost", "locales": ["en", "de"]},
  "server": {"trusted_proxies": "127.0.0.1"},
  "plugin_dirs": [")" +
                  pluginDir() + R"("],
  "plugins": {"ratelimit": {
    "policies": {"one": {"limit": 1, "period_s": 3600, "burst": 1}},
    "rules": [{"policy": "one"}]}}
})");
    struct Visitor {
        const char* client;  // each visitor is a client of its own, with a limit of its own
        const char* path;
        const char* accept_language;
        const char* lang;
        const char* text;
    };
    const Visitor visitors[] = {
        {"198.51.100.1", "/contact", "en-GB,en;q=0.9", "en",
         "Too many requests. Please try again in 3600 s."},
        {"198.51.100.2", "/contact", "de-DE,de;q=0.9,en;q=0.5", "de",
         "Zu viele Anfragen. Bitte in 3600 s erneut versuchen."},
        {"198.51.100.3", "/de/kontakt/", "en", "de",
         "Zu viele Anfragen. Bitte in 3600 s erneut versuchen."},
        {"198.51.100.4", "/about", "fr", "en", "Too many requests. Please try again in 3600 s."},
        {"198.51.100.5", "/about", "fr-CH, de;q=0.8, en;q=0.5", "de",
         "Zu viele Anfragen. Bitte in 3600 s erneut versuchen."},
    };
    for (const auto& v : visitors) {
        CAPTURE(v.client, v.path, v.accept_language);
        const std::map<std::string, std::string> headers = {{"X-Forwarded-For", v.client},
                                                            {"Accept", "text/html"},
                                                            {"Accept-Language", v.accept_language}};
        REQUIRE(request(server.port(), "GET", v.path, headers).status != 429);
        auto res = request(server.port(), "GET", v.path, headers);
        REQUIRE(res.status == 429);
        CHECK(res.header("content-type") == "text/html; charset=utf-8");
        CHECK(res.body.find(std::string("<html lang=\"") + v.lang + "\">") != std::string::npos);
        CHECK(res.body.find(v.text) != std::string::npos);
    }
}
