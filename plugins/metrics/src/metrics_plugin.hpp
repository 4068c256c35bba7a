#pragma once

#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "portico/sdk/plugin.hpp"

namespace portico::plugins::metrics {

/// JSON schema of the `metrics` config block.
extern const char* const kSchema;

/// Serves the process-wide registry in Prometheus text format on the admin listener, plus
/// request metrics it records itself (counts, durations, bytes, in-flight), build info and
/// process facts, and a `/plugins` JSON list.
class MetricsPlugin final : public sdk::Plugin {
public:
    void configure(sdk::Context& ctx) override;

private:
    struct Series {
        sdk::metrics::Counter* requests;
        sdk::metrics::Histogram* duration;
    };
    const Series& series(const std::string& route, const char* method, int status,
                         const std::string& host);
    void complete(const sdk::Request& req, const sdk::Response& res, const sdk::Completion& c);
    void renderMetrics(sdk::Response& res) const;
    void renderPlugins(sdk::Response& res) const;

    sdk::metrics::Registry* registry_ = nullptr;
    const sdk::HostStatus* status_ = nullptr;
    std::vector<std::string> hosts_;
    std::vector<double> bounds_;
    sdk::metrics::Gauge* in_flight_ = nullptr;
    sdk::metrics::Counter* bytes_ = nullptr;
    mutable std::shared_mutex mutex_;
    std::unordered_map<std::string, Series> series_;  // by route, method, status, host
};

}  // namespace portico::plugins::metrics
