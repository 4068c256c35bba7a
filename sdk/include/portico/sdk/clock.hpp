#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace portico::sdk {

/// Time source handed to plugins; the test kit substitutes a fake. Thread-safe.
class Clock {
public:
    virtual ~Clock() = default;
    /// Wall-clock time (UTC), for timestamps.
    virtual std::chrono::system_clock::time_point now() const = 0;
    /// Monotonic time, for intervals and rate limits.
    virtual std::chrono::steady_clock::time_point monotonic() const = 0;
};

/// Runs periodic work on a host thread (never a request worker). Tasks run one at a time; an
/// exception from a task is logged and the task stays scheduled. Tasks stop before
/// `Plugin::stop()` is called.
class Scheduler {
public:
    virtual ~Scheduler() = default;
    /// Runs `task` every `interval`, first after one interval. `name` appears in logs.
    /// Call from `configure()` or `start()`.
    virtual void every(std::string name, std::chrono::milliseconds interval,
                       std::function<void()> task) = 0;
};

}  // namespace portico::sdk
