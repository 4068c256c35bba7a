#pragma once

#include <spdlog/logger.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "portico/sdk/clock.hpp"

namespace portico::host {

/// The real clock.
class SystemClock final : public sdk::Clock {
public:
    std::chrono::system_clock::time_point now() const override {
        return std::chrono::system_clock::now();
    }
    std::chrono::steady_clock::time_point monotonic() const override {
        return std::chrono::steady_clock::now();
    }
};

/// Runs periodic plugin tasks on one thread per config generation. Tasks may be added until
/// `start()`; `stop()` joins the thread and is idempotent.
class TaskScheduler {
public:
    explicit TaskScheduler(std::shared_ptr<spdlog::logger> logger);
    ~TaskScheduler();

    void add(std::string owner, std::string name, std::chrono::milliseconds interval,
             std::function<void()> task);
    void start();
    void stop() noexcept;
    /// Drops every task `owner` added (a plugin that was skipped contributes nothing).
    void removeOwner(const std::string& owner);

    /// The sdk::Scheduler view one plugin gets; tasks are logged under `owner`.
    std::unique_ptr<sdk::Scheduler> forPlugin(std::string owner);

private:
    struct Task {
        std::string owner;
        std::string name;
        std::chrono::milliseconds interval;
        std::function<void()> fn;
        std::chrono::steady_clock::time_point next;
    };
    void run();

    std::shared_ptr<spdlog::logger> logger_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<Task> tasks_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace portico::host
