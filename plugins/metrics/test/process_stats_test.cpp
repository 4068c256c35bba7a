#include "process_stats.hpp"

#include <catch2/catch.hpp>

using namespace portico::plugins::metrics;

TEST_CASE("a /proc/<pid>/stat line yields CPU, memory and start time") {
    // Fields as the kernel prints them; the command name holds a space and a ')'.
    const std::string stat =
        "4242 (port ico)) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 150 0 0 20 0 17 0 "
        "360000 123456789 2000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
    auto s = parseStat(stat, 100, 4096, 1700000000.0);
    REQUIRE(s);
    CHECK(s->cpu_seconds == Approx(4.0));
    CHECK(s->start_time_seconds == Approx(1700003600.0));
    CHECK(s->virtual_bytes == 123456789u);
    CHECK(s->resident_bytes == 2000u * 4096u);
    CHECK_FALSE(parseStat("garbage", 100, 4096, 0));
    CHECK_FALSE(parseStat("1 (x) S 1 2", 100, 4096, 0));
}

TEST_CASE("the boot time comes from the btime line of /proc/stat") {
    CHECK(parseBootTime("cpu  1 2 3\nbtime 1700000000\nprocesses 5\n") == 1700000000.0);
    CHECK_FALSE(parseBootTime("cpu  1 2 3\n"));
}

TEST_CASE("this process has plausible stats") {
    auto s = readProcessStats();
    REQUIRE(s);
    CHECK(s->resident_bytes > 0);
    CHECK(s->open_fds >= 3);
    CHECK(s->max_fds >= s->open_fds);
    auto text = renderProcessStats(*s);
    CHECK(text.find("# TYPE process_cpu_seconds_total counter\n") != std::string::npos);
    CHECK(text.find("\nprocess_open_fds ") != std::string::npos);
}
