#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace portico::host {

/// systemd's service notification protocol (sd_notify(3)) without libsystemd: each state is one
/// datagram to the AF_UNIX socket named by $NOTIFY_SOCKET (a path, or an abstract name written
/// with a leading '@'). Without $NOTIFY_SOCKET every call does nothing, so `portico serve` runs
/// the same from a shell, in Docker and under a unit with Type=notify.
class ServiceNotifier {
public:
    /// From the values of NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID (empty: unset). The
    /// watchdog applies only when WATCHDOG_USEC is a positive number and WATCHDOG_PID, if set,
    /// names `self`.
    ServiceNotifier(std::string socket, const std::string& watchdog_usec,
                    const std::string& watchdog_pid, pid_t self);
    /// From this process's environment.
    static ServiceNotifier fromEnvironment();

    /// Whether a notification socket was named.
    bool active() const { return !socket_.empty(); }
    /// Half the watchdog timeout the service manager asked for (as sd_watchdog_enabled(3)
    /// advises), or zero when it asked for none.
    std::chrono::microseconds watchdogInterval() const { return watchdog_interval_; }

    /// Sends `state` (newline-separated KEY=VALUE assignments) as one datagram. Returns false
    /// when inactive or when the send failed (errno is then logged at debug level once).
    bool send(const std::string& state) const;

    /// READY=1 with a STATUS= line: the listeners accept connections.
    bool ready(const std::string& status) const;
    /// RELOADING=1 with MONOTONIC_USEC= (CLOCK_MONOTONIC, as systemd 253+ requires for
    /// Type=notify-reload); READY=1 follows once the reload has finished or failed.
    bool reloading() const;
    /// STOPPING=1: the graceful shutdown has begun.
    bool stopping() const;

private:
    std::string socket_;
    std::chrono::microseconds watchdog_interval_{0};
};

/// Sends WATCHDOG=1 at the notifier's watchdog interval on a thread of its own until destroyed;
/// does nothing when the service manager asked for no watchdog.
class WatchdogPinger {
public:
    explicit WatchdogPinger(const ServiceNotifier& notifier);
    ~WatchdogPinger();
    WatchdogPinger(const WatchdogPinger&) = delete;
    WatchdogPinger& operator=(const WatchdogPinger&) = delete;

private:
    void run(ServiceNotifier notifier);

    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    std::thread thread_;
};

}  // namespace portico::host
