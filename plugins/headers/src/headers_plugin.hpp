#pragma once

#include <memory>

#include "config.hpp"
#include "merged_policies.hpp"
#include "portico/sdk/plugin.hpp"

namespace portico::plugins::headers {

/// Adds security headers to every response (errors, 304s and early answers included), from a
/// profile, config and per-path overrides. A Content-Security-Policy already on the response
/// (from a handler or another plugin, e.g. analytics) is merged into the configured one.
class HeadersPlugin final : public sdk::Plugin {
public:
    void configure(sdk::Context& ctx) override;

private:
    void apply(const sdk::Request& req, sdk::Response& res) const;

    Config config_;
    std::unique_ptr<MergedPolicies> default_csp_;
    std::vector<std::unique_ptr<MergedPolicies>> path_csps_;  // parallel to config_.paths
};

}  // namespace portico::plugins::headers
