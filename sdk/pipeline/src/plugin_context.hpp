#pragma once

#include <spdlog/logger.h>

#include <atomic>
#include <cstddef>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pipeline.hpp"
#include "portico/sdk/context.hpp"
#include "portico/sdk/hooks.hpp"
#include "portico/sdk/resource.hpp"

namespace portico::host {

/// What one plugin's context hands out, owned by whoever runs the plugin (a config generation of
/// the host, or the test kit's TestHost with fakes); each must outlive the context.
struct ContextServices {
    sdk::metrics::Registry& metrics;
    const sdk::Clock& clock;
    const sdk::HostStatus& status;
    const sdk::SiteInfo& site;
    sdk::SiteModel& site_model;
    sdk::DataStore& data;
    sdk::Scheduler& scheduler;
    /// Every started plugin's HTML transforms, applied by `buildResource`.
    const std::vector<sdk::HtmlTransform>& transforms;
    /// Where `buildResource` gets its gzip and brotli variants; empty: `sdk::bestEncodings`.
    sdk::EncodingSource encodings;
    /// When set, counts the resources built while `transforms` was not empty (so the runner
    /// knows whether they must be rebuilt once the transforms change).
    std::atomic<std::size_t>* resources_built = nullptr;
};

/// The context and hook registry one plugin sees, in the host and in the test kit alike. Hooks
/// are collected into a `HookSet` while registering is open (during `Plugin::configure()`);
/// registering at any other time throws `std::logic_error`.
class PluginContext final : public sdk::Context, public sdk::Hooks {
public:
    PluginContext(std::string id, nlohmann::json config, std::shared_ptr<spdlog::logger> logger,
                  ContextServices services);

    const std::string& pluginId() const override { return id_; }
    const nlohmann::json& config() const override { return config_; }
    std::shared_ptr<spdlog::logger> logger() const override { return logger_; }
    sdk::metrics::Registry& metrics() override { return services_.metrics; }
    const sdk::Clock& clock() const override { return services_.clock; }
    sdk::Scheduler& scheduler() override { return services_.scheduler; }
    const sdk::SiteInfo& site() const override { return services_.site; }
    sdk::Hooks& hooks() override { return *this; }
    std::shared_ptr<const sdk::Resource> buildResource(sdk::ResourceSpec spec) const override;
    const sdk::HostStatus& status() const override { return services_.status; }
    sdk::SiteModel& siteModel() override { return services_.site_model; }
    sdk::DataStore& data() override { return services_.data; }

    using sdk::Hooks::addEarlyHook;
    void addEarlyHook(sdk::EarlyHookSpec spec, sdk::EarlyHook hook) override;
    void addRoute(sdk::RouteSpec spec, sdk::Handler handler) override;
    void addHeaderHook(sdk::HeaderHook hook) override;
    void addHtmlTransform(sdk::HtmlTransform transform) override;
    void addCompletionHook(sdk::CompletionHook hook) override;
    void addHealthCheck(std::string name, sdk::HealthCheck check) override;

    /// Opens or closes registration; the runner opens it around `Plugin::configure()`.
    void setRegistering(bool on) noexcept { registering_ = on; }
    /// Everything the plugin registered.
    const HookSet& hookSet() const noexcept { return hooks_; }

private:
    void open(const char* what, bool empty) const;

    std::string id_;
    nlohmann::json config_;
    std::shared_ptr<spdlog::logger> logger_;
    ContextServices services_;
    HookSet hooks_;
    bool registering_ = false;
};

}  // namespace portico::host
