#pragma once

// Internal to the test kit: the Context and Hooks the TestHost hands its plugin.

#include <Poco/Data/SessionPool.h>
#include <spdlog/sinks/base_sink.h>

#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "portico/sdk/data.hpp"
#include "portico/sdk/internal/site_model.hpp"
#include "portico/testkit/test_host.hpp"

namespace portico::testkit::detail {

/// Keeps every formatted log line in memory for `TestHost::logLines()`.
class MemorySink : public spdlog::sinks::base_sink<std::mutex> {
public:
    std::vector<std::string> lines() const;

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override;
    void flush_() override {}

private:
    mutable std::mutex lines_mutex_;
    std::vector<std::string> lines_;
};

/// A real SQLite store (data_dir/portico.db, WAL, foreign keys on), opened on first use, as
/// the host's default store behaves.
class TestDataStore final : public sdk::DataStore {
public:
    explicit TestDataStore(std::string data_dir);
    ~TestDataStore() override;
    std::string dialect() const override { return "sqlite"; }
    Poco::Data::Session session() override;
    void migrate(const std::vector<sdk::Migration>& migrations) override;
    void setPluginId(std::string id) { plugin_id_ = std::move(id); }

private:
    std::string path_;
    std::string plugin_id_;
    std::mutex mutex_;
    std::unique_ptr<Poco::Data::SessionPool> pool_;
};

/// A fresh directory under $TMPDIR, removed with everything in it on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const noexcept { return path_; }

private:
    std::string path_;
};

class TestContext final : public sdk::Context, public sdk::Hooks {
public:
    TestContext(std::string plugin_id, nlohmann::json config,
                std::shared_ptr<spdlog::logger> logger, sdk::metrics::Registry& metrics,
                FakeClock& clock, ManualScheduler& scheduler, sdk::SiteInfo site,
                TestStatus& status, sdk::internal::MemorySiteModel& site_model,
                sdk::DataStore& data);

    const std::string& pluginId() const override { return plugin_id_; }
    const nlohmann::json& config() const override { return config_; }
    std::shared_ptr<spdlog::logger> logger() const override { return logger_; }
    sdk::metrics::Registry& metrics() override { return metrics_; }
    const sdk::Clock& clock() const override { return clock_; }
    sdk::Scheduler& scheduler() override { return scheduler_; }
    const sdk::SiteInfo& site() const override { return site_; }
    sdk::Hooks& hooks() override { return *this; }
    std::shared_ptr<const sdk::Resource> buildResource(sdk::ResourceSpec spec) const override;
    const sdk::HostStatus& status() const override { return status_; }
    sdk::SiteModel& siteModel() override { return site_model_; }
    sdk::DataStore& data() override { return data_; }

    using sdk::Hooks::addEarlyHook;
    void addEarlyHook(sdk::EarlyHookSpec spec, sdk::EarlyHook hook) override;
    void addRoute(sdk::RouteSpec spec, sdk::Handler handler) override;
    void addHeaderHook(sdk::HeaderHook hook) override;
    void addHtmlTransform(sdk::HtmlTransform transform) override;
    void addCompletionHook(sdk::CompletionHook hook) override;
    void addHealthCheck(std::string name, sdk::HealthCheck check) override;

    /// Hooks may be registered only while this is true (during `Plugin::configure()`).
    bool configuring = false;
    /// Early hooks, kept sorted by band; registration order within a band.
    std::vector<std::pair<int, sdk::EarlyHook>> early_hooks;
    std::size_t blocking_early_hooks = 0;
    std::vector<RegisteredRoute> routes;
    std::vector<sdk::HeaderHook> header_hooks;
    std::vector<sdk::HtmlTransform> html_transforms;
    std::vector<sdk::CompletionHook> completion_hooks;

private:
    void requireConfiguring(const char* what) const;

    std::string plugin_id_;
    nlohmann::json config_;
    std::shared_ptr<spdlog::logger> logger_;
    sdk::metrics::Registry& metrics_;
    FakeClock& clock_;
    ManualScheduler& scheduler_;
    sdk::SiteInfo site_;
    TestStatus& status_;
    sdk::internal::MemorySiteModel& site_model_;
    sdk::DataStore& data_;
};

}  // namespace portico::testkit::detail

namespace portico::testkit {

// Member order is destruction order reversed: everything holding code from the plugin `.so`
// (the plugin, its hooks, its scheduled tasks) goes before the library is closed.
struct TestHost::State {
    detail::TempDir temp_dir;
    std::shared_ptr<sdk::PluginLibrary> library;
    FakeClock clock;
    ManualScheduler scheduler{clock};
    sdk::metrics::Registry metrics;
    TestStatus status;
    sdk::internal::MemorySiteModel site_model;
    std::unique_ptr<detail::TestDataStore> data;
    std::shared_ptr<detail::MemorySink> sink;
    std::unique_ptr<detail::TestContext> context;
    std::unique_ptr<sdk::Plugin, void (*)(sdk::Plugin*)> plugin{nullptr, nullptr};
    bool started = false;
    bool stopped = false;
    sdk::Completion last_completion;
    unsigned long next_error_id = 1;
};

}  // namespace portico::testkit
