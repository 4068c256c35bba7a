#pragma once

// Internal to the test kit: the fakes behind the services a TestHost hands its plugin (the
// context itself is the host's PluginContext).

#include <Poco/Data/SessionPool.h>
#include <spdlog/sinks/base_sink.h>

#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "pipeline.hpp"
#include "plugin_context.hpp"
#include "portico/internal/library.hpp"
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
    sdk::SiteInfo site;
    std::vector<sdk::HtmlTransform> transforms;  // the plugin's, for buildResource
    std::unique_ptr<host::PluginContext> context;
    std::vector<RegisteredRoute> routes;
    std::unique_ptr<host::Pipeline> pipeline;
    std::unique_ptr<sdk::Plugin, void (*)(sdk::Plugin*)> plugin{nullptr, nullptr};
    bool started = false;
    bool stopped = false;
    sdk::Completion last_completion;
};

}  // namespace portico::testkit
