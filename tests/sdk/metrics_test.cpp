#include "portico/sdk/metrics.hpp"

#include <catch2/catch.hpp>
#include <stdexcept>
#include <thread>
#include <vector>

using portico::sdk::metrics::Histogram;
using portico::sdk::metrics::Registry;

TEST_CASE("a counter renders with its help and type lines", "[metrics]") {
    Registry registry;
    registry.counter("portico_requests_total", "Requests served.").inc(3);
    CHECK(registry.renderPrometheus() ==
          "# HELP portico_requests_total Requests served.\n"
          "# TYPE portico_requests_total counter\n"
          "portico_requests_total 3\n");
}

TEST_CASE("asking for the same name and labels returns the same metric", "[metrics]") {
    Registry registry;
    auto& a = registry.counter("hits_total", "Hits.", {{"route", "/a"}});
    auto& b = registry.counter("hits_total", "Hits.", {{"route", "/a"}});
    CHECK(&a == &b);
    auto& g1 = registry.gauge("temperature", "Heat.");
    auto& g2 = registry.gauge("temperature", "Heat.");
    CHECK(&g1 == &g2);
}

TEST_CASE("label sets of one family render sorted under one header", "[metrics]") {
    Registry registry;
    registry.counter("http_responses_total", "Responses.", {{"status", "404"}}).inc();
    registry.counter("http_responses_total", "Responses.", {{"status", "200"}}).inc(7);
    CHECK(registry.renderPrometheus() ==
          "# HELP http_responses_total Responses.\n"
          "# TYPE http_responses_total counter\n"
          "http_responses_total{status=\"200\"} 7\n"
          "http_responses_total{status=\"404\"} 1\n");
}

TEST_CASE("families are rendered sorted by name", "[metrics]") {
    Registry registry;
    registry.gauge("zeta", "Z.").set(1);
    registry.counter("alpha_total", "A.").inc();
    registry.gauge("mid", "M.").set(2.5);
    CHECK(registry.renderPrometheus() ==
          "# HELP alpha_total A.\n# TYPE alpha_total counter\nalpha_total 1\n"
          "# HELP mid M.\n# TYPE mid gauge\nmid 2.5\n"
          "# HELP zeta Z.\n# TYPE zeta gauge\nzeta 1\n");
}

TEST_CASE("label values and help text are escaped", "[metrics]") {
    Registry registry;
    registry.counter("odd_total", "Line one\nback\\slash", {{"path", "a\"b\\c\nd"}}).inc();
    CHECK(registry.renderPrometheus() ==
          "# HELP odd_total Line one\\nback\\\\slash\n"
          "# TYPE odd_total counter\n"
          "odd_total{path=\"a\\\"b\\\\c\\nd\"} 1\n");
}

TEST_CASE("a gauge goes up and down and renders special values", "[metrics]") {
    Registry registry;
    auto& g = registry.gauge("queue_depth", "Depth.", {{"queue", "mail"}, {"zone", "eu"}});
    g.set(10);
    g.add(-2.5);
    CHECK(g.value() == 7.5);
    CHECK(registry.renderPrometheus() ==
          "# HELP queue_depth Depth.\n# TYPE queue_depth gauge\n"
          "queue_depth{queue=\"mail\",zone=\"eu\"} 7.5\n");
    g.set(1.0 / 0.0);
    CHECK(registry.renderPrometheus().find("queue_depth{queue=\"mail\",zone=\"eu\"} +Inf\n") !=
          std::string::npos);
}

TEST_CASE("a histogram renders cumulative buckets, sum and count", "[metrics]") {
    Registry registry;
    auto& h = registry.histogram("latency_seconds", "Latency.", {0.1, 0.5, 1}, {{"route", "/"}});
    h.observe(0.05);
    h.observe(0.1);  // bounds are inclusive upper limits
    h.observe(0.7);
    h.observe(3);
    CHECK(registry.renderPrometheus() ==
          "# HELP latency_seconds Latency.\n"
          "# TYPE latency_seconds histogram\n"
          "latency_seconds_bucket{route=\"/\",le=\"0.1\"} 2\n"
          "latency_seconds_bucket{route=\"/\",le=\"0.5\"} 2\n"
          "latency_seconds_bucket{route=\"/\",le=\"1\"} 3\n"
          "latency_seconds_bucket{route=\"/\",le=\"+Inf\"} 4\n"
          "latency_seconds_sum{route=\"/\"} 3.85\n"
          "latency_seconds_count{route=\"/\"} 4\n");
}

TEST_CASE("a histogram without labels renders only the le label", "[metrics]") {
    Registry registry;
    registry.histogram("size_bytes", "Size.", {1024}).observe(10);
    CHECK(registry.renderPrometheus() ==
          "# HELP size_bytes Size.\n# TYPE size_bytes histogram\n"
          "size_bytes_bucket{le=\"1024\"} 1\n"
          "size_bytes_bucket{le=\"+Inf\"} 1\n"
          "size_bytes_sum 10\n"
          "size_bytes_count 1\n");
}

TEST_CASE("registering a name again with another type is refused", "[metrics]") {
    Registry registry;
    registry.counter("things", "Things.");
    CHECK_THROWS_AS(registry.gauge("things", "Things."), std::invalid_argument);
    CHECK_THROWS_AS(registry.histogram("things", "Things.", {1}), std::invalid_argument);
    CHECK_THROWS_WITH(registry.gauge("things", "Things."),
                      "metric things: already registered as a counter, not a gauge");
}

TEST_CASE("invalid metric and label names are refused", "[metrics]") {
    Registry registry;
    CHECK_THROWS_AS(registry.counter("9lives", "x"), std::invalid_argument);
    CHECK_THROWS_AS(registry.counter("has-dash", "x"), std::invalid_argument);
    CHECK_THROWS_AS(registry.counter("ok_total", "x", {{"bad-label", "v"}}), std::invalid_argument);
    CHECK_THROWS_AS(registry.counter("ok_total", "x", {{"__reserved", "v"}}),
                    std::invalid_argument);
    CHECK_THROWS_AS(registry.counter("ok_total", "x", {{"a", "1"}, {"a", "2"}}),
                    std::invalid_argument);
    CHECK_THROWS_AS(registry.histogram("h", "x", {1}, {{"le", "1"}}), std::invalid_argument);
    CHECK_NOTHROW(registry.counter("ns:ok_total", "x", {{"_fine", "v"}}));
}

TEST_CASE("histogram bounds must ascend and agree within a family", "[metrics]") {
    Registry registry;
    CHECK_THROWS_AS(Histogram({1, 1}), std::invalid_argument);
    CHECK_THROWS_AS(Histogram({2, 1}), std::invalid_argument);
    registry.histogram("h_seconds", "x", {1, 2}, {{"a", "1"}});
    CHECK_THROWS_AS(registry.histogram("h_seconds", "x", {1, 3}, {{"a", "2"}}),
                    std::invalid_argument);
    CHECK_NOTHROW(registry.histogram("h_seconds", "x", {1, 2}, {{"a", "2"}}));
}

TEST_CASE("counters and histograms count correctly from many threads", "[metrics]") {
    Registry registry;
    auto& counter = registry.counter("c_total", "x");
    auto& histogram = registry.histogram("h", "x", {0.5});
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 10000; ++i) {
                counter.inc();
                histogram.observe(i % 2 == 0 ? 0.25 : 1.0);
            }
        });
    }
    for (auto& t : threads) t.join();
    CHECK(counter.value() == 40000);
    std::vector<std::uint64_t> cumulative;
    double sum = 0;
    histogram.snapshot(cumulative, sum);
    CHECK(cumulative == std::vector<std::uint64_t>{20000, 40000});
    CHECK(sum == Approx(20000 * 0.25 + 20000 * 1.0));
}
