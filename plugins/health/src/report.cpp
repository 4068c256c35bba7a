#include "report.hpp"

#include "portico/sdk/resource.hpp"

namespace portico::plugins::health {

std::string overallStatus(const std::vector<Check>& checks) {
    std::string status = "pass";
    for (const auto& c : checks) {
        if (c.result.status == "fail") return "fail";
        if (c.result.status == "warn") status = "warn";
    }
    return status;
}

nlohmann::json renderReport(const std::vector<Check>& checks, const std::string& version,
                            std::chrono::system_clock::time_point now) {
    nlohmann::json doc;
    doc["status"] = overallStatus(checks);
    doc["version"] = version;
    doc["serviceId"] = "portico";
    doc["checks"] = nlohmann::json::object();
    const std::string time = sdk::rfc3339(now);
    for (const auto& c : checks) {
        nlohmann::json entry{{"status", c.result.status}, {"time", time}};
        if (!c.result.observed.empty()) entry["observedValue"] = c.result.observed;
        if (!c.result.output.empty()) entry["output"] = c.result.output;
        doc["checks"][c.name].push_back(std::move(entry));
    }
    return doc;
}

std::vector<Check> hostChecks(const sdk::HostStatus& status) {
    std::vector<Check> checks;
    std::size_t started = 0;
    auto plugins = status.plugins();
    for (const auto& p : plugins) started += p.state == "started";
    std::string observed = std::to_string(started) + "/" + std::to_string(plugins.size());
    checks.push_back({"plugins:started", status.started()
                                             ? sdk::CheckResult{"pass", observed, ""}
                                             : sdk::CheckResult{"fail", observed, "not started"}});
    auto degraded = status.degraded();
    if (!degraded.empty()) {
        std::string why;
        for (const auto& d : degraded) why += (why.empty() ? "" : "; ") + d;
        checks.back().result.status = status.started() ? "warn" : "fail";
        checks.back().result.output = why;
    }
    checks.push_back({"host:draining", status.draining()
                                           ? sdk::CheckResult{"fail", "true", "shutting down"}
                                           : sdk::CheckResult{"pass", "false", ""}});
    return checks;
}

}  // namespace portico::plugins::health
