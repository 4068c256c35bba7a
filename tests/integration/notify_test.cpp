#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <random>
#include <regex>

#include "harness.hpp"
#include "notify_listener.hpp"

using namespace portico::tests;
using namespace std::chrono_literals;

namespace {

// An abstract socket name no other test run on the machine uses.
std::string uniqueSocketName() {
    std::random_device random;
    return "@portico-it-" + std::to_string(::getpid()) + "-" + std::to_string(random());
}

}  // namespace

// systemd's side of Type=notify with WatchdogSec=: the test is the service manager, listening on
// the socket it names in NOTIFY_SOCKET, and checks what the real portico tells it.
TEST_CASE(
    "under a service manager portico notifies READY=1 once it listens, WATCHDOG=1, "
    "RELOADING=1 and READY=1 around SIGHUP, STOPPING=1 on SIGTERM") {
    TempDir dir;
    NotifyListener manager(uniqueSocketName());
    const std::string config = dir.write("portico.json", testConfig(dir, R"({"echo": {}})"));
    // WatchdogSec=0.4: a ping every 200 ms.
    Process process({porticoBin(), "serve", "--config", config},
                    {{"NOTIFY_SOCKET", manager.name()}, {"WATCHDOG_USEC", "400000"}}, dir.path());

    std::string before;
    const auto ready = manager.receiveContaining("READY=1", 30s, &before);
    REQUIRE(ready);
    CHECK(*ready == "READY=1\nSTATUS=serving");
    CHECK(before.find("WATCHDOG=1") == std::string::npos);  // no ping before ready
    // READY=1 came after the listener was bound: the port is printed and accepts at once.
    std::smatch m;
    const std::string out = process.out();
    REQUIRE(std::regex_search(out, m, std::regex("listening on http://[^ ]*:([0-9]+)")));
    const int port = std::stoi(m[1]);
    CHECK(request(port, "GET", "/fixture").status == 200);

    for (int i = 0; i < 3; ++i) CHECK(manager.receiveContaining("WATCHDOG=1", 10s));

    process.signal(SIGHUP);
    const auto reloading = manager.receiveContaining("RELOADING=1", 30s);
    REQUIRE(reloading);
    CHECK(std::regex_search(*reloading, std::regex("(^|\n)MONOTONIC_USEC=[0-9]+($|\n)")));
    CHECK(manager.receiveContaining("READY=1", 30s));
    CHECK(process.out().find("reload complete") != std::string::npos);

    process.signal(SIGTERM);
    CHECK(manager.receiveContaining("STOPPING=1", 30s));
    CHECK(process.wait(15s) == 0);
}

TEST_CASE("a reload that fails still ends with READY=1, the old generation serving") {
    TempDir dir;
    NotifyListener manager(uniqueSocketName());
    const std::string config = dir.write("portico.json", testConfig(dir, R"({"echo": {}})"));
    Process process({porticoBin(), "serve", "--config", config},
                    {{"NOTIFY_SOCKET", manager.name()}}, dir.path());
    REQUIRE(manager.receiveContaining("READY=1", 30s));
    std::ofstream(config) << "{ broken";
    process.signal(SIGHUP);
    REQUIRE(manager.receiveContaining("RELOADING=1", 30s));
    CHECK(manager.receiveContaining("READY=1", 30s));
    CHECK(process.out().find("reload failed") != std::string::npos);
    process.signal(SIGTERM);
    CHECK(manager.receiveContaining("STOPPING=1", 30s));
    CHECK(process.wait(15s) == 0);
}
