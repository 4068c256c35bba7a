#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "portico/sdk/plugin.hpp"

namespace portico::plugins::health {

/// JSON schema of the `health` config block.
extern const char* const kSchema;

/// Liveness (`/livez`) and readiness (`/readyz`, `/health`) as application/health+json. The
/// public answers carry the status only (200 for pass and warn, 503 for fail, never cached by
/// clients); the plugins' checks run at most once per `cache_ms` however often strangers ask.
/// The full report (every check, versions, plugin states) is on the admin listener.
class HealthPlugin final : public sdk::Plugin {
public:
    void configure(sdk::Context& ctx) override;

private:
    using Results = std::vector<std::pair<std::string, sdk::CheckResult>>;

    void live(sdk::Response& res, bool details) const;
    void ready(sdk::Response& res, bool details) const;
    /// The plugins' health checks, from the cache while it is fresh (one caller refreshes it,
    /// concurrent callers wait for that result instead of running the checks again).
    Results cachedChecks() const;

    const sdk::HostStatus* status_ = nullptr;
    const sdk::Clock* clock_ = nullptr;
    std::chrono::milliseconds cache_for_{1000};
    mutable std::mutex mutex_;
    mutable Results cached_;
    mutable std::chrono::steady_clock::time_point cached_at_{};
    mutable bool has_cache_ = false;
};

}  // namespace portico::plugins::health
