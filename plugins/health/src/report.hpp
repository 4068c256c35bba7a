#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "portico/sdk/status.hpp"

namespace portico::plugins::health {

/// One named check in a report; `observed` is rendered as observedValue when not empty.
struct Check {
    std::string name;  ///< "component:measurement", e.g. "plugins:started"
    sdk::CheckResult result;
};

/// "fail" if any check fails, else "warn" if any warns, else "pass".
std::string overallStatus(const std::vector<Check>& checks);

/// An application/health+json document (draft-inadarei-api-health-check): status, version,
/// and a checks object with one entry per check holding status, observedValue, output, time.
nlohmann::json renderReport(const std::vector<Check>& checks, const std::string& version,
                            std::chrono::system_clock::time_point now);

/// The readiness checks the host itself implies: plugins started, not draining, not degraded.
std::vector<Check> hostChecks(const sdk::HostStatus& status);

}  // namespace portico::plugins::health
