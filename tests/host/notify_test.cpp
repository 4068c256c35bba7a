#include "notify.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <random>
#include <string>

#include "notify_listener.hpp"
#include "temp_folder.hpp"

using portico::host::ServiceNotifier;
using portico::host::WatchdogPinger;
using portico::tests::NotifyListener;
using portico::tests::TempFolder;
using namespace std::chrono_literals;

namespace {

std::string abstractName() {
    std::random_device random;
    return "@portico-notify-test-" + std::to_string(::getpid()) + "-" + std::to_string(random());
}

}  // namespace

TEST_CASE("the notifier sends each state as one datagram to a path or an abstract socket") {
    TempFolder folder;
    const std::string name = GENERATE_COPY(std::string("path"), std::string("abstract"));
    NotifyListener listener(name == "path" ? folder.path() + "/notify.sock" : abstractName());
    const ServiceNotifier notifier(listener.name(), "", "", ::getpid());
    REQUIRE(notifier.active());

    CHECK(notifier.ready("serving"));
    CHECK(listener.receive(2s) == std::optional<std::string>("READY=1\nSTATUS=serving"));
    CHECK(notifier.stopping());
    CHECK(listener.receive(2s) == std::optional<std::string>("STOPPING=1\nSTATUS=stopping"));

    CHECK(notifier.reloading());
    const auto reloading = listener.receive(2s);
    REQUIRE(reloading);
    CHECK(reloading->rfind("RELOADING=1\nSTATUS=reloading\nMONOTONIC_USEC=", 0) == 0);
    const std::string usec = reloading->substr(reloading->rfind('=') + 1);
    REQUIRE(!usec.empty());
    CHECK(usec.find_first_not_of("0123456789") == std::string::npos);
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    const long long now_usec = static_cast<long long>(now.tv_sec) * 1000000 + now.tv_nsec / 1000;
    CHECK(std::stoll(usec) <= now_usec);
    CHECK(std::stoll(usec) > now_usec - 60LL * 1000000);
}

TEST_CASE("without NOTIFY_SOCKET, or with an address it cannot use, the notifier sends nothing") {
    CHECK_FALSE(ServiceNotifier("", "1000000", "", ::getpid()).active());
    CHECK_FALSE(ServiceNotifier("", "", "", ::getpid()).ready("serving"));
    CHECK_FALSE(ServiceNotifier("relative/notify.sock", "", "", ::getpid()).ready("serving"));
    CHECK_FALSE(ServiceNotifier("@", "", "", ::getpid()).ready("serving"));
    CHECK_FALSE(ServiceNotifier("/" + std::string(200, 'x'), "", "", ::getpid()).ready("x"));
    TempFolder folder;  // nobody listens there
    CHECK_FALSE(ServiceNotifier(folder.path() + "/absent.sock", "", "", ::getpid()).ready("x"));
}

TEST_CASE("the watchdog interval is half of WATCHDOG_USEC, for this process only") {
    const pid_t self = ::getpid();
    const std::string me = std::to_string(self);
    struct Row {
        const char* usec;
        std::string pid;
        long long interval;
    };
    const Row rows[] = {
        {"", "", 0},
        {"3000000", "", 1500000},
        {"3000000", me, 1500000},
        {"3000000", std::to_string(self + 1), 0},
        {"0", "", 0},
        {"-5", "", 0},
        {"12abc", "", 0},
        {"999999999999999999999999", "", 0},
    };
    for (const auto& row : rows) {
        INFO("WATCHDOG_USEC=" << row.usec << " WATCHDOG_PID=" << row.pid);
        CHECK(ServiceNotifier("@x", row.usec, row.pid, self).watchdogInterval().count() ==
              row.interval);
    }
}

TEST_CASE("the watchdog pinger sends WATCHDOG=1 repeatedly until it is destroyed") {
    NotifyListener listener(abstractName());
    const ServiceNotifier notifier(listener.name(), "100000", "", ::getpid());
    {
        WatchdogPinger pinger(notifier);
        for (int i = 0; i < 3; ++i)
            CHECK(listener.receive(5s) == std::optional<std::string>("WATCHDOG=1"));
    }
    while (listener.receive(0ms)) {
    }
    CHECK_FALSE(listener.receive(300ms));
}

TEST_CASE("no watchdog was asked for: the pinger sends nothing") {
    NotifyListener listener(abstractName());
    const ServiceNotifier notifier(listener.name(), "", "", ::getpid());
    WatchdogPinger pinger(notifier);
    CHECK_FALSE(listener.receive(300ms));
}
