#include "scheduler.hpp"

#include <spdlog/sinks/ostream_sink.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <sstream>
#include <stdexcept>
#include <thread>

using portico::host::TaskScheduler;

namespace {

// Polls `done` for up to 10 s: the scheduler runs on the real clock, so the test waits for an
// event rather than for a time.
template <typename F>
bool eventually(F done) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!done()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

}  // namespace

TEST_CASE("scheduled tasks repeat until stop and never run after it returns") {
    std::ostringstream log;
    auto logger = std::make_shared<spdlog::logger>(
        "test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log));
    TaskScheduler scheduler(logger);
    std::atomic<int> a{0}, b{0};
    auto plugin = scheduler.forPlugin("sitemap");
    plugin->every("refresh", std::chrono::milliseconds(1), [&a] { ++a; });
    scheduler.add("host", "sweep", std::chrono::milliseconds(1), [&b] { ++b; });
    CHECK(a == 0);  // nothing runs before start()
    scheduler.start();
    CHECK(eventually([&] { return a >= 3 && b >= 3; }));
    scheduler.stop();
    const int after_stop = a;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(a == after_stop);
    scheduler.stop();  // idempotent
}

TEST_CASE("a task that throws is logged with its owner and stays scheduled") {
    std::ostringstream log;
    auto logger = std::make_shared<spdlog::logger>(
        "test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log));
    TaskScheduler scheduler(logger);
    std::atomic<int> runs{0};
    scheduler.forPlugin("contact")->every("purge", std::chrono::milliseconds(1), [&runs] {
        ++runs;
        throw std::runtime_error("database is locked");
    });
    scheduler.start();
    CHECK(eventually([&] { return runs >= 2; }));
    scheduler.stop();
    CHECK(log.str().find("contact") != std::string::npos);
    CHECK(log.str().find("purge") != std::string::npos);
    CHECK(log.str().find("failed: database is locked") != std::string::npos);
}

TEST_CASE("a task without a function or with a non-positive interval is refused") {
    auto logger = std::make_shared<spdlog::logger>("test");
    TaskScheduler scheduler(logger);
    auto plugin = scheduler.forPlugin("p");
    CHECK_THROWS_AS(plugin->every("t", std::chrono::milliseconds(0), [] {}), std::invalid_argument);
    CHECK_THROWS_AS(plugin->every("t", std::chrono::milliseconds(5), nullptr),
                    std::invalid_argument);
}
