#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace portico::sdk::metrics {

/// Label set in a fixed order, e.g. {{"status", "200"}}.
using Labels = std::vector<std::pair<std::string, std::string>>;

/// A monotonically increasing count. Lock-free; any thread.
class Counter {
public:
    void inc(std::uint64_t by = 1) noexcept { value_.fetch_add(by, std::memory_order_relaxed); }
    std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> value_{0};
};

/// A value that goes up and down. Lock-free; any thread.
class Gauge {
public:
    void set(double v) noexcept { value_.store(v, std::memory_order_relaxed); }
    void add(double by) noexcept;
    double value() const noexcept { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<double> value_{0.0};
};

/// Observations counted into fixed buckets (upper bounds, ascending). Any thread.
class Histogram {
public:
    explicit Histogram(std::vector<double> bounds);
    void observe(double v) noexcept;
    const std::vector<double>& bounds() const noexcept { return bounds_; }
    /// Cumulative counts per bound, then the +Inf count; with the sum, read consistently.
    void snapshot(std::vector<std::uint64_t>& cumulative, double& sum) const;

private:
    std::vector<double> bounds_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;
    std::atomic<double> sum_{0.0};
};

/// Owns every metric of the process. Metric names follow Prometheus rules and are registered
/// once per name+labels; asking again returns the same object. Thread-safe. Returned references
/// stay valid for the life of the process.
class Registry {
public:
    Counter& counter(const std::string& name, const std::string& help, const Labels& labels = {});
    Gauge& gauge(const std::string& name, const std::string& help, const Labels& labels = {});
    Histogram& histogram(const std::string& name, const std::string& help,
                         const std::vector<double>& bounds, const Labels& labels = {});
    /// Everything in Prometheus text exposition format 0.0.4.
    std::string renderPrometheus() const;

private:
    struct Family;
    Family& family(const std::string& name, const std::string& help, const char* type);
    mutable std::mutex mutex_;
    std::map<std::string, std::shared_ptr<Family>> families_;
};

}  // namespace portico::sdk::metrics
