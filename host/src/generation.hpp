#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config.hpp"
#include "encoding_cache.hpp"
#include "pipeline.hpp"
#include "plugin_context.hpp"
#include "plugin_set.hpp"
#include "portico/sdk/internal/site_model.hpp"
#include "portico/sdk/metrics.hpp"
#include "scheduler.hpp"
#include "store/store.hpp"

namespace portico::host {

/// Process-wide services that outlive config generations.
struct Services {
    explicit Services(const sdk::HostStatus& host_status) : status(host_status) {}
    sdk::metrics::Registry metrics;
    SystemClock clock;
    const sdk::HostStatus& status;
    /// Generations built so far; each takes the next number (a failed reload's too).
    std::atomic<std::uint64_t> generations{0};
    /// For a command: the plugins' store must exist already (a command never creates the
    /// SQLite file; see `Store`'s `must_exist`).
    bool existing_store_only = false;
    /// The host's own hooks for generation N (`serve --watch`: live reload), ahead of every
    /// plugin's in the pipeline; empty: none.
    std::function<HookSet(std::uint64_t generation)> host_hooks;
};

/// One config generation (DESIGN.md): the config, its plugins and their pipeline. Built beside
/// the running one on reload and swapped in atomically.
class Generation {
public:
    Generation(Config config, Services& services);
    ~Generation();
    Generation(const Generation&) = delete;
    Generation& operator=(const Generation&) = delete;

    /// Loads every enabled plugin, creates and configures them all, then validates them all
    /// (`Plugin::validate` runs once every plugin is configured), and checks the routes. Binds
    /// and writes nothing. Returns every problem; empty means ready to start.
    std::vector<ConfigProblem> prepare();

    /// Starts the plugins in dependency order and builds the pipeline. On a failure of a
    /// required plugin, stops those already started (the failing one included) in reverse order
    /// and throws std::runtime_error naming the plugin. An optional plugin that fails is skipped
    /// with its dependents and contributes nothing: when resources were already built with its
    /// HTML transforms, the other plugins are stopped and set up afresh without it.
    void start();

    /// Stops the scheduler, then every started plugin in reverse order. Idempotent.
    void stop() noexcept;

    const Config& config() const noexcept { return config_; }
    /// 1 for the generation built at start-up, one more for each one built on reload.
    std::uint64_t number() const noexcept { return number_; }
    /// The libraries of this generation's plugins: while it lives, they stay in memory.
    std::vector<const sdk::PluginLibrary*> libraries() const;
    const Pipeline& pipeline() const noexcept { return *pipeline_; }
    /// Optional plugins that were skipped, and why. Non-empty: the host is degraded.
    const std::vector<std::string>& warnings() const noexcept { return failures_.warnings; }
    /// Plugin ids in start order.
    std::vector<std::string> order() const;
    /// Every enabled plugin with its state, in start order.
    std::vector<sdk::PluginStatus> pluginStatus() const;
    /// Runs the health checks the started plugins registered.
    std::vector<std::pair<std::string, sdk::CheckResult>> runHealthChecks() const;
    bool started() const noexcept { return started_; }
    /// The pages and assets the started plugins published (for `portico export`).
    const sdk::SiteModel& siteModel() const noexcept { return *site_model_; }

    /// One plugin as `prepare()` left it: created, configured and validated, not started.
    struct PreparedPlugin {
        const sdk::PluginLibrary& library;
        sdk::Plugin& plugin;
        sdk::Context& context;
    };
    /// Enabled plugin `id` after a `prepare()` without problems, for a plugin command; nothing
    /// when the config does not enable it or it was skipped.
    std::optional<PreparedPlugin> prepared(const std::string& id);

private:
    struct Slot;
    /// Applies the required/optional policy to a failure of `slot`'s plugin. Returns true when
    /// the plugin was skipped (optional); it then contributes nothing.
    bool fail(Slot& slot, const ConfigProblem& problem);
    /// A problem at "plugins.<id>[.sub]" of the config file.
    ConfigProblem problemAt(const Slot& slot, const std::string& sub,
                            const std::string& message) const;
    /// "depends on 'x', which was skipped" when a dependency of `slot` was skipped, else "".
    std::string skippedDependency(const Slot& slot) const;
    void buildSlots();
    void configureAll();
    void validateAll();
    void reportConfigError(Slot& slot, const sdk::ConfigError& error);
    std::vector<ConfigProblem> checkRoutes();
    /// The HTML transforms of every plugin that is not skipped, in start order.
    void collectTransforms();
    /// Starts every plugin not skipped. Returns false when an optional plugin failed after
    /// resources were built with its HTML transforms; those resources are stale.
    bool startAll();
    /// Stops and destroys the plugins, then creates, configures and validates the ones not
    /// skipped again, for a start without the skipped ones. Throws when they now fail.
    void resetPlugins();
    void buildPipeline();
    /// Logs what the encoding cache did while the plugins started and removes unused files.
    void reportEncodings();
    /// Logs the plugins this generation loaded anew because their file changed.
    void reportUpgrades() const;

    Config config_;
    Services& services_;
    std::uint64_t number_;
    std::unique_ptr<Store> store_;              // opened lazily, when a plugin first uses it
    std::unique_ptr<EncodingCache> encodings_;  // prebuilt resources' gzip and brotli
    std::shared_ptr<spdlog::logger> logger_;
    PluginSet set_;
    std::vector<std::unique_ptr<Slot>> slots_;
    std::vector<sdk::HtmlTransform> transforms_;
    HookSet host_hooks_;  // Services::host_hooks for this generation
    std::unique_ptr<sdk::internal::MemorySiteModel> site_model_;
    std::atomic<std::size_t> resources_built_{
        0};  // with transforms, by every plugin, for staleness
    std::unique_ptr<TaskScheduler> scheduler_;
    std::unique_ptr<Pipeline> pipeline_;
    PluginFailures failures_;
    bool started_ = false;
};

}  // namespace portico::host
