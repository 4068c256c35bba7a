#include "redis_store.hpp"

#include <Poco/Redis/Array.h>
#include <Poco/Redis/Client.h>
#include <spdlog/sinks/ostream_sink.h>

#include <catch2/catch.hpp>
#include <sstream>
#include <thread>

#include "redis_server.hpp"

using namespace portico::plugins::ratelimit;
using portico::plugins::ratelimit::test::RedisServer;

namespace {

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kEpochUs = 1'767'225'600'000'000;  // 2026-01-01, as the server's clock

RedisConfig configFor(const RedisServer& server) {
    RedisConfig config;
    config.url = *RedisUrl::parse(server.url());
    config.pool_size = 2;
    return config;
}

struct Logged {
    std::ostringstream text;
    std::shared_ptr<spdlog::logger> logger = std::make_shared<spdlog::logger>(
        "ratelimit", std::make_shared<spdlog::sinks::ostream_sink_st>(text));
    Logged() { logger->set_pattern("[%l] %v"); }
    std::size_t count(const std::string& needle) const {
        const std::string all = text.str();
        std::size_t n = 0;
        for (auto at = all.find(needle); at != std::string::npos; at = all.find(needle, at + 1)) {
            ++n;
        }
        return n;
    }
};

}  // namespace

TEST_CASE("the Redis script decides exactly as the in-memory GCRA") {
    RedisServer server;
    Logged log;
    RedisStore store(configFor(server), log.logger, "allowing");
    struct Row {
        Rate rate;
        std::int64_t step_ms;
    };
    // A client hammering each rate for three periods (intervals in whole microseconds, the
    // script's unit), decision by decision.
    const Row rows[] = {
        {{20, 60 * kSecond, 5}, 1000},
        {{10, kSecond, 1}, 7},
        {{600, 60 * kSecond, 100}, 13},
        {{4, 10 * kSecond, 2}, 400},
    };
    int key = 0;
    for (const auto& row : rows) {
        CAPTURE(row.rate.limit, row.rate.period_ns, row.rate.burst, row.step_ms);
        const std::string name = "vectors:" + std::to_string(key++);
        std::int64_t tat = 0;
        int denied = 0;
        for (std::int64_t ms = 0; ms <= 3 * row.rate.period_ns / 1'000'000; ms += row.step_ms) {
            CAPTURE(ms);
            Decision want = gcra(row.rate, tat, kEpochUs * 1000 + ms * 1'000'000);
            auto got = store.checkAt(name, row.rate, kEpochUs + ms * 1000);
            REQUIRE(got);
            CHECK(got->allowed == want.allowed);
            CHECK(got->remaining == want.remaining);
            CHECK(got->retry_after_ns == want.retry_after_ns);
            CHECK(got->reset_ns == want.reset_ns);
            denied += want.allowed ? 0 : 1;
        }
        CHECK(denied > 0);  // the rows do run into the limit
    }
    CHECK(log.text.str().empty());
}

TEST_CASE("Redis keys carry the prefix and expire when the client has recovered") {
    RedisServer server;
    Logged log;
    RedisConfig config = configFor(server);
    config.key_prefix = "test:rl:";
    RedisStore store(config, log.logger, "allowing");
    const Rate rate{6, 60 * kSecond, 3};  // one per 10 s
    for (int i = 0; i < 3; ++i) REQUIRE(store.check("forms:192.0.2.1", rate, 0)->allowed);
    auto denied = store.check("forms:192.0.2.1", rate, 0);
    REQUIRE(denied);
    CHECK_FALSE(denied->allowed);
    CHECK(denied->retry_after_ns > 9 * kSecond);
    CHECK(denied->retry_after_ns <= 10 * kSecond);

    Poco::Redis::Client client("127.0.0.1", server.port());
    Poco::Redis::Array pttl;
    pttl << "PTTL"
         << "test:rl:forms:192.0.2.1";
    const auto ttl_ms = client.execute<Poco::Int64>(pttl);
    CHECK(ttl_ms > 29'000);  // three requests of 10 s each: recovered in 30 s
    CHECK(ttl_ms <= 30'000);
}

TEST_CASE("with Redis down checks fail fast, warn once, and recover when it is back") {
    RedisServer server;
    Logged log;
    RedisConfig config = configFor(server);
    RedisStore store(config, log.logger, "allowing requests");
    const Rate rate{60, 60 * kSecond, 5};
    REQUIRE(store.check("pages:a", rate, 0));
    CHECK(store.ping().empty());

    server.stop();
    for (int i = 0; i < 50; ++i) CHECK_FALSE(store.check("pages:a", rate, 0));
    CHECK_FALSE(store.ping().empty());
    CHECK(log.count("[warning] redis 127.0.0.1:" + std::to_string(server.port()) +
                    " unavailable") == 1);
    CHECK(log.count("allowing requests") == 1);

    server.start();  // same port, empty: the script is gone too (NOSCRIPT, then EVAL)
    std::optional<Decision> back;
    for (int i = 0; i < 300 && !back; ++i) {  // Redis is skipped for 1 s after a failure
        back = store.check("pages:a", rate, 0);
        if (!back) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    REQUIRE(back);
    CHECK(back->allowed);
    CHECK(back->remaining == 4);  // a fresh key: the old state died with the server
    CHECK(log.count("[info] redis 127.0.0.1:" + std::to_string(server.port()) +
                    " reachable again") == 1);
}
