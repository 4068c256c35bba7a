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

/// What `HostStatus::libraries()` reports for one plugin library (`.so`) in memory.
struct LibraryStatus {
    std::string id;
    std::string version;
    std::string path;              ///< the file it was loaded from
    std::uint64_t generation = 0;  ///< the config generation that loaded it (1 = start-up)
    std::chrono::system_clock::time_point loaded_at;
    /// "serving" (the serving generation runs it), "retiring" (only a previous generation still
    /// finishing its requests, or a reload in progress, holds it) or "pinned" (no longer used,
    /// but the system loader could not unload it).
    std::string state;
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
    /// The number of the serving config generation: 1 at start-up, one more for each reload
    /// (SIGHUP) that was swapped in. ABI 2.1; 0 where the host keeps no count.
    virtual std::uint64_t generation() const noexcept { return 0; }
    /// Every plugin library in memory, by generation that loaded it: the serving ones, those
    /// kept for requests of a previous generation, and any the loader could not unload. A
    /// plugin upgraded in place shows its old version here until its last request ends.
    /// ABI 2.1.
    virtual std::vector<LibraryStatus> libraries() const { return {}; }
};

}  // namespace portico::sdk
