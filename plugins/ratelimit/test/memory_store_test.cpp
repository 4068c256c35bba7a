#include "memory_store.hpp"

#include <catch2/catch.hpp>

using namespace portico::plugins::ratelimit;

namespace {
constexpr std::int64_t kSecond = 1'000'000'000;
}

TEST_CASE("keys are limited independently") {
    MemoryStore store(1000);
    const Rate rate{1, 60 * kSecond, 2};
    CHECK(store.check("a", rate, 0)->allowed);
    CHECK(store.check("a", rate, 0)->allowed);
    CHECK_FALSE(store.check("a", rate, 0)->allowed);
    CHECK(store.check("b", rate, 0)->allowed);
    CHECK(store.size() == 2);
}

TEST_CASE("the table stays within its cap under a flood of distinct keys") {
    MemoryStore store(1600);
    const Rate rate{1, 60 * kSecond, 5};
    for (int i = 0; i < 100000; ++i) store.check("k" + std::to_string(i), rate, 0);
    CHECK(store.size() <= 1600);
    CHECK(store.evictions() >= 100000 - 1600);
}

TEST_CASE("recovered entries expire in a sweep") {
    MemoryStore store(1000);
    const Rate rate{60, 60 * kSecond, 10};  // one per second
    store.check("a", rate, 0);              // recovered at 1 s
    store.check("b", rate, 0);
    store.check("b", rate, 0);  // recovered at 2 s
    CHECK(store.sweep(kSecond / 2) == 0);
    CHECK(store.sweep(kSecond) == 1);
    CHECK(store.size() == 1);
    CHECK(store.sweep(2 * kSecond) == 1);
    CHECK(store.size() == 0);
}

TEST_CASE("[.bench] memory after one million distinct keys", "[.bench]") {
    MemoryStore store(1'100'000);
    const Rate rate{20, 60 * kSecond, 5};
    for (int i = 0; i < 1'000'000; ++i) {
        store.check(std::to_string(10 + (i >> 16)) + "." + std::to_string((i >> 8) & 255) + "." +
                        std::to_string(i & 255) + ".1",
                    rate, 0);
    }
    WARN("entries: " << store.size());
}
