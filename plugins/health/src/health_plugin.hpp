#pragma once

#include <string>
#include <vector>

#include "portico/sdk/plugin.hpp"

namespace portico::plugins::health {

/// JSON schema of the `health` config block.
extern const char* const kSchema;

/// Liveness (`/livez`) and readiness (`/readyz`, `/health`) as application/health+json:
/// readiness combines the host's state (plugins started, not draining) with every health
/// check plugins registered. 200 for pass and warn, 503 for fail, never cached.
class HealthPlugin final : public sdk::Plugin {
public:
    void configure(sdk::Context& ctx) override;

private:
    void live(sdk::Response& res) const;
    void ready(sdk::Response& res) const;

    const sdk::HostStatus* status_ = nullptr;
    const sdk::Clock* clock_ = nullptr;
};

}  // namespace portico::plugins::health
