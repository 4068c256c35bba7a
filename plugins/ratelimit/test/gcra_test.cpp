#include "gcra.hpp"

#include <catch2/catch.hpp>

using namespace portico::plugins::ratelimit;

namespace {
constexpr std::int64_t kSecond = 1'000'000'000;
}

TEST_CASE("GCRA test vectors: 20 per minute with a burst of 5") {
    const Rate rate{20, 60 * kSecond, 5};  // one request per 3 s
    struct Step {
        std::int64_t at_ms;
        bool allowed;
        std::int64_t remaining;
        std::int64_t retry_after_ms;
    };
    const Step steps[] = {
        {0, true, 4, 0},        {0, true, 3, 0},     {0, true, 2, 0},        {0, true, 1, 0},
        {0, true, 0, 0},        {0, false, 0, 3000}, {1000, false, 0, 2000}, {3000, true, 0, 0},
        {3000, false, 0, 3000}, {9000, true, 1, 0},  {9000, true, 0, 0},     {60000, true, 4, 0},
    };
    std::int64_t tat = 0;
    for (const auto& s : steps) {
        CAPTURE(s.at_ms);
        auto d = gcra(rate, tat, s.at_ms * 1'000'000);
        CHECK(d.allowed == s.allowed);
        CHECK(d.remaining == s.remaining);
        CHECK(d.retry_after_ns == s.retry_after_ms * 1'000'000);
    }
}

TEST_CASE("no more than limit + burst requests pass in any window of one period") {
    struct Row {
        Rate rate;
        std::int64_t step_ms;  // a client hammering every step_ms
    };
    const Row rows[] = {
        {{20, 60 * kSecond, 5}, 10},
        {{10, kSecond, 1}, 1},
        {{600, 60 * kSecond, 100}, 7},
    };
    for (const auto& row : rows) {
        CAPTURE(row.rate.limit, row.rate.burst, row.step_ms);
        std::int64_t tat = 0;
        std::vector<std::int64_t> passed;
        for (std::int64_t ms = 0; ms <= 3 * row.rate.period_ns / 1'000'000; ms += row.step_ms) {
            if (gcra(row.rate, tat, ms * 1'000'000).allowed) passed.push_back(ms);
        }
        std::size_t worst = 0;
        const std::int64_t window = row.rate.period_ns / 1'000'000;
        for (std::size_t i = 0; i < passed.size(); ++i) {
            std::size_t j = i;
            while (j < passed.size() && passed[j] < passed[i] + window) ++j;
            worst = std::max(worst, j - i);
        }
        CHECK(worst <= static_cast<std::size_t>(row.rate.limit + row.rate.burst));
        CHECK(worst >= static_cast<std::size_t>(row.rate.limit));  // and the limit is usable
    }
}
