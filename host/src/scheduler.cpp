#include "scheduler.hpp"

#include <algorithm>

namespace portico::host {
namespace {

class PluginScheduler final : public sdk::Scheduler {
public:
    PluginScheduler(TaskScheduler& owner, std::string plugin)
        : owner_(owner), plugin_(std::move(plugin)) {}
    void every(std::string name, std::chrono::milliseconds interval,
               std::function<void()> task) override {
        owner_.add(plugin_, std::move(name), interval, std::move(task));
    }

private:
    TaskScheduler& owner_;
    std::string plugin_;
};

}  // namespace

TaskScheduler::TaskScheduler(std::shared_ptr<spdlog::logger> logger) : logger_(std::move(logger)) {}

TaskScheduler::~TaskScheduler() { stop(); }

void TaskScheduler::add(std::string owner, std::string name, std::chrono::milliseconds interval,
                        std::function<void()> task) {
    if (interval.count() <= 0) {
        throw std::invalid_argument("scheduler: interval of task '" + name + "' must be positive");
    }
    if (!task) throw std::invalid_argument("scheduler: task '" + name + "' has no function");
    std::lock_guard<std::mutex> lock(mutex_);
    tasks_.push_back({std::move(owner), std::move(name), interval, std::move(task),
                      std::chrono::steady_clock::now() + interval});
    wake_.notify_all();
}

void TaskScheduler::start() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (thread_.joinable() || stopping_) return;
    thread_ = std::thread([this] { run(); });
}

void TaskScheduler::stop() noexcept {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
        wake_.notify_all();
    }
    if (thread_.joinable()) thread_.join();
}

void TaskScheduler::removeOwner(const std::string& owner) {
    std::lock_guard<std::mutex> lock(mutex_);
    tasks_.erase(std::remove_if(tasks_.begin(), tasks_.end(),
                                [&](const Task& task) { return task.owner == owner; }),
                 tasks_.end());
}

std::unique_ptr<sdk::Scheduler> TaskScheduler::forPlugin(std::string owner) {
    return std::make_unique<PluginScheduler>(*this, std::move(owner));
}

void TaskScheduler::run() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stopping_) {
        if (tasks_.empty()) {
            wake_.wait(lock);
            continue;
        }
        auto due = std::min_element(tasks_.begin(), tasks_.end(),
                                    [](const Task& a, const Task& b) { return a.next < b.next; });
        if (wake_.wait_until(lock, due->next) == std::cv_status::no_timeout) continue;
        if (stopping_) break;
        auto now = std::chrono::steady_clock::now();
        for (std::size_t i = 0; i < tasks_.size() && !stopping_; ++i) {
            if (tasks_[i].next > now) continue;
            tasks_[i].next = now + tasks_[i].interval;
            auto fn = tasks_[i].fn;
            std::string label = tasks_[i].owner + "/" + tasks_[i].name;
            lock.unlock();
            try {
                fn();
            } catch (const std::exception& e) {
                logger_->error("scheduled task {} failed: {}", label, e.what());
            } catch (...) {
                logger_->error("scheduled task {} failed: unknown exception", label);
            }
            lock.lock();
        }
    }
}

}  // namespace portico::host
