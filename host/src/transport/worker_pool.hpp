#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace portico::host::transport {

/// Work a pool thread runs.
class Job {
public:
    virtual ~Job() = default;
    /// Runs on a pool thread; must not throw.
    virtual void run() noexcept = 0;
};

/// A fixed number of threads taking jobs from a bounded queue. Jobs are not owned.
class WorkerPool {
public:
    WorkerPool(std::size_t threads, std::size_t max_queued);
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    /// Queues `job`; false when the queue is full (the caller answers 503). Any thread.
    bool submit(Job* job);
    /// Finishes running jobs, drops queued ones and joins the threads. Idempotent.
    void stop();

private:
    void loop();

    std::size_t max_queued_;
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<Job*> queue_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace portico::host::transport
