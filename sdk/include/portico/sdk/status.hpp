#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace portico::sdk {

/// The outcome of one health check (RFC draft "health+json" terms).
struct CheckResult {
    std::string status = "pass";  ///< "pass", "warn" or "fail"
    std::string observed;         ///< observed value, e.g. "3 ms"; may be empty
    std::string output;           ///< why, when not "pass"; may be empty
};

/// A named check that readiness depends on (data store reachable, upstream up, ...). Runs on
/// the thread that asks (a request worker); must be quick and must not throw.
using HealthCheck = std::function<CheckResult()>;

/// What `HostStatus::plugins()` reports for one plugin.
struct PluginStatus {
    std::string id;
    std::string version;
    std::string state;   ///< "started", "skipped" (optional plugin that failed) or "stopped"
    std::string detail;  ///< why it was skipped, else empty
};

/// Live facts about the host, for health and admin endpoints. Thread-safe; any thread.
class HostStatus {
public:
    virtual ~HostStatus() = default;
    /// True from the moment shutdown began (SIGTERM/SIGINT); readiness must fail from then on.
    virtual bool draining() const noexcept = 0;
    /// True while every plugin of the serving config generation has started.
    virtual bool started() const noexcept = 0;
    /// Optional plugins that were skipped, and why. Non-empty: the host is degraded.
    virtual std::vector<std::string> degraded() const = 0;
    /// Every enabled plugin of the serving generation, in start order.
    virtual std::vector<PluginStatus> plugins() const = 0;
    /// Runs every registered health check (see `Hooks::addHealthCheck`) and returns the results
    /// by name, in registration order.
    virtual std::vector<std::pair<std::string, CheckResult>> runHealthChecks() const = 0;
    virtual std::chrono::system_clock::time_point startTime() const noexcept = 0;
    /// The host's version, e.g. "0.1.0".
    virtual std::string version() const = 0;
};

}  // namespace portico::sdk
