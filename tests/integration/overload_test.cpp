// The transport under overload, through the real process with small numbers (the bench shows
// the same with 10,000 connections): per-address caps, room made at max_connections, shrinking
// timeouts, and running out of file descriptors.
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <thread>
#include <vector>

#include "harness.hpp"

using namespace portico::tests;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kGet = "GET /fixture HTTP/1.1\r\nHost: a\r\n\r\n";
const std::string kPartial = "GET /fixture HTTP/1.1\r\nHost: a\r\nX-Slow: ";

// One I/O loop, so "the idlest" and "the slowest" are one list's heads.
std::string config(const TempDir& dir, const std::string& server_fields) {
    return testConfig(
        dir, R"({"echo": {}, "metrics": {}})",
        R"(  "admin": {"port": 0}, "server": {"io_threads": 1, )" + server_fields + "}");
}

double metric(int admin_port, const std::string& series) {
    const std::string body = request(admin_port, "GET", "/metrics").body;
    std::istringstream lines(body);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
    }
    return -1;
}

std::unique_ptr<Client> open(int port, const std::string& source, const std::string& bytes) {
    auto c = std::make_unique<Client>(port, 0, source);
    REQUIRE(c->connected());
    if (!bytes.empty()) c->send(bytes);
    return c;
}

// CPU seconds (user + system) the process has used, from /proc/<pid>/stat.
double cpuSeconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::istringstream fields(stat.substr(stat.rfind(')') + 2));
    std::string field;
    long long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i) {
        if (i == 14) utime = std::stoll(field);
        if (i == 15) stime = std::stoll(field);
    }
    return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace

TEST_CASE("one address cannot take more than max_connections_per_client, others get in") {
    TempDir dir;
    Server server(config(dir, R"("max_connections": 100, "max_connections_per_client": 4)"));
    std::vector<std::unique_ptr<Client>> attacker;
    for (int i = 0; i < 4; ++i) attacker.push_back(open(server.port(), "127.0.0.2", kPartial));
    auto fifth = open(server.port(), "127.0.0.2", kPartial);
    auto refused = fifth->responses(1);
    REQUIRE(refused.size() == 1);
    CHECK(refused[0].status == 503);
    CHECK(refused[0].body.find("too many connections from your address") != std::string::npos);
    // Another address, and the attacker's own after one of its connections closed.
    auto visitor = open(server.port(), "127.0.0.1", kGet);
    auto ok = visitor->responses(1);
    REQUIRE(ok.size() == 1);
    CHECK(ok[0].status == 200);
    attacker.pop_back();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto again = open(server.port(), "127.0.0.2", kGet);
    auto later = again->responses(1);
    REQUIRE(later.size() == 1);
    CHECK(later[0].status == 200);
    CHECK(metric(server.adminPort(),
                 R"(portico_connections_refused_total{listener="public",reason="per_client"})") ==
          1);
}

TEST_CASE("trusted proxies are exempt from the per-address cap") {
    TempDir dir;
    Server server(
        config(dir, R"("max_connections_per_client": 2, "trusted_proxies": "127.0.0.3")"));
    std::vector<std::unique_ptr<Client>> proxy;
    for (int i = 0; i < 6; ++i) proxy.push_back(open(server.port(), "127.0.0.3", ""));
    for (auto& c : proxy) c->send(kGet);
    for (auto& c : proxy) {
        auto r = c->responses(1);
        REQUIRE(r.size() == 1);
        CHECK(r[0].status == 200);
    }
}

TEST_CASE("at max_connections the idlest keep-alive connection makes room for a new visitor") {
    TempDir dir;
    Server server(config(dir, R"("max_connections": 3, "max_connections_per_client": 0)"));
    std::vector<std::unique_ptr<Client>> idle;
    for (int i = 0; i < 3; ++i) {
        idle.push_back(open(server.port(), "127.0.0." + std::to_string(2 + i), kGet));
        REQUIRE(idle.back()->responses(1).size() == 1);  // answered, now idle
    }
    auto visitor = open(server.port(), "127.0.0.9", kGet);
    auto r = visitor->responses(1);
    REQUIRE(r.size() == 1);
    CHECK(r[0].status == 200);
    CHECK(idle[0]->closesWithin(std::chrono::seconds(2)));  // the one idle longest
    CHECK_FALSE(idle[2]->closesWithin(std::chrono::milliseconds(200)));
    CHECK(metric(server.adminPort(),
                 R"(portico_connections_shed_total{listener="public",reason="idle"})") == 1);
}

TEST_CASE("at max_connections the slowest header makes room, and timeouts shrink with load") {
    TempDir dir;
    Server server(config(dir, R"("max_connections": 4, "max_connections_per_client": 0,
                                 "header_timeout_ms": 60000)"));
    std::vector<std::unique_ptr<Client>> slow;
    for (int i = 0; i < 4; ++i) {
        slow.push_back(open(server.port(), "127.0.0." + std::to_string(2 + i), kPartial));
    }
    SECTION("a new visitor gets in by closing the header that has trickled longest") {
        std::this_thread::sleep_for(std::chrono::milliseconds(400));
        auto visitor = open(server.port(), "127.0.0.9", kGet);
        auto r = visitor->responses(1);
        REQUIRE(r.size() == 1);
        CHECK(r[0].status == 200);
        CHECK(slow[0]->closesWithin(std::chrono::seconds(1)));
        CHECK(slow[0]->data().empty());  // closed without an answer
        CHECK(metric(server.adminPort(),
                     R"(portico_connections_shed_total{listener="public",reason="slow_header"})") ==
              1);
    }
    SECTION("four of four open: the 60 s header timeout is down to its 1 s floor") {
        for (auto& c : slow) {
            auto timed_out = c->responses(1, false, std::chrono::seconds(10));
            REQUIRE(timed_out.size() == 1);
            CHECK(timed_out[0].status == 408);
        }
    }
}

TEST_CASE("out of file descriptors the server answers 503, burns no CPU, and recovers") {
    TempDir dir;
    const std::string file = dir.write(
        "portico.json", config(dir, R"("max_connections": 1000, "max_connections_per_client": 0,
                                       "header_timeout_ms": 60000)"));
    Process server({"/usr/bin/prlimit", "--nofile=64:64", porticoBin(), "serve", "--config", file},
                   {}, dir.path());
    REQUIRE(server.waitForOutput("portico listening on"));
    std::smatch m;
    const std::string out = server.out();
    REQUIRE(std::regex_search(out, m, std::regex("listening on http://[^ ]*:([0-9]+)")));
    const int port = std::stoi(m[1]);
    // One connection served and closed while descriptors are left: in a sanitizer build UBSan
    // checks a type the first time it is deleted, reading /proc/self/maps, which it cannot do
    // once the process is out of descriptors (it then reports a valid object as invalid).
    REQUIRE(request(port, "GET", "/fixture").status == 200);

    std::vector<std::unique_ptr<Client>> hogs;
    for (int i = 0; i < 70; ++i) {
        hogs.push_back(open(port, "127.0.0." + std::to_string(2 + i % 8), kPartial));
    }
    auto refused = open(port, "127.0.0.1", kGet);
    auto r = refused->responses(1, false, std::chrono::seconds(5));
    REQUIRE(r.size() == 1);
    CHECK(r[0].status == 503);
    CHECK(r[0].body == "the server is out of file descriptors\n");

    const double cpu_before = cpuSeconds(server.pid());
    std::vector<std::unique_ptr<Client>> waiting;
    for (int i = 0; i < 5; ++i) waiting.push_back(open(port, "127.0.0.1", kGet));
    std::this_thread::sleep_for(std::chrono::seconds(2));
    const double cpu = cpuSeconds(server.pid()) - cpu_before;
    INFO("CPU seconds in 2 s out of descriptors: " << cpu);
    CHECK(cpu < 0.5);  // the old accept loop spun at 100 % of a core

    hogs.clear();  // descriptors free up
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    auto served = request(port, "GET", "/fixture");
    CHECK(served.status == 200);
    const std::string log = server.out() + server.err();
    std::size_t warnings = 0;
    for (auto at = log.find("out of file descriptors"); at != std::string::npos;
         at = log.find("out of file descriptors", at + 1)) {
        ++warnings;
    }
    CHECK(warnings == 1);  // once per burst, not per connection
    server.signal(SIGTERM);
    CHECK(server.wait() == 0);
}

TEST_CASE("max_connections follows the open-file limit when left at 0, and says so") {
    TempDir dir;
    const std::string file = dir.write("portico.json", config(dir, R"("threads": 2)"));
    Process server(
        {"/usr/bin/prlimit", "--nofile=300:2000", porticoBin(), "serve", "--config", file}, {},
        dir.path());
    REQUIRE(server.waitForOutput("portico listening on"));
    const std::string log = server.out() + server.err();
    CHECK(log.find("open-file limit raised from 300 to 2000") != std::string::npos);
    CHECK(log.find("max_connections: 1872 per listener") != std::string::npos);
    server.signal(SIGTERM);
    CHECK(server.wait() == 0);
}
