#include "test_context.hpp"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Statement.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "portico/sdk/internal/migrations.hpp"
#include "portico/sdk/resource.hpp"

namespace portico::testkit::detail {

std::vector<std::string> MemorySink::lines() const {
    std::lock_guard<std::mutex> lock(lines_mutex_);
    return lines_;
}

void MemorySink::sink_it_(const spdlog::details::log_msg& msg) {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    std::string line(formatted.data(), formatted.size());
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    std::lock_guard<std::mutex> lock(lines_mutex_);
    lines_.push_back(std::move(line));
}

TempDir::TempDir() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") +
                          "/portico-testhost-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
    }
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

TestDataStore::TestDataStore(std::string data_dir) : path_(std::move(data_dir) + "/portico.db") {
    Poco::Data::SQLite::Connector::registerConnector();
}

TestDataStore::~TestDataStore() {
    if (pool_) pool_->shutdown();
}

Poco::Data::Session TestDataStore::session() {
    Poco::Data::SessionPool* pool = nullptr;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!pool_) {
            pool_ = std::make_unique<Poco::Data::SessionPool>("SQLite", path_, 1, 8, 60);
            Poco::Data::Session first(pool_->get());
            std::string mode;
            first << "PRAGMA journal_mode=WAL", Poco::Data::Keywords::into(mode),
                Poco::Data::Keywords::now;
        }
        pool = pool_.get();
    }
    Poco::Data::Session session(pool->get());
    session << "PRAGMA foreign_keys=ON", Poco::Data::Keywords::now;
    return session;
}

void TestDataStore::migrate(const std::vector<sdk::Migration>& migrations) {
    Poco::Data::Session s = session();
    sdk::internal::applyMigrations(s, "sqlite", plugin_id_, migrations);
}

TestContext::TestContext(std::string plugin_id, nlohmann::json config,
                         std::shared_ptr<spdlog::logger> logger, sdk::metrics::Registry& metrics,
                         FakeClock& clock, ManualScheduler& scheduler, sdk::SiteInfo site,
                         TestStatus& status, sdk::internal::MemorySiteModel& site_model,
                         sdk::DataStore& data)
    : plugin_id_(std::move(plugin_id)),
      config_(std::move(config)),
      logger_(std::move(logger)),
      metrics_(metrics),
      clock_(clock),
      scheduler_(scheduler),
      site_(std::move(site)),
      status_(status),
      site_model_(site_model),
      data_(data) {}

std::shared_ptr<const sdk::Resource> TestContext::buildResource(sdk::ResourceSpec spec) const {
    return sdk::makeResource(std::move(spec), html_transforms);
}

void TestContext::requireConfiguring(const char* what) const {
    if (!configuring) {
        throw std::logic_error(plugin_id_ + ": " + what + " is only allowed during configure()");
    }
}

void TestContext::addEarlyHook(sdk::EarlyHookSpec spec, sdk::EarlyHook hook) {
    requireConfiguring("addEarlyHook");
    if (!hook) throw std::invalid_argument(plugin_id_ + ": addEarlyHook: empty hook");
    if (spec.blocking) ++blocking_early_hooks;
    const int band = spec.band;
    const auto pos = std::upper_bound(early_hooks.begin(), early_hooks.end(), band,
                                      [](int b, const auto& entry) { return b < entry.first; });
    early_hooks.insert(pos, {band, std::move(hook)});
}

void TestContext::addRoute(sdk::RouteSpec spec, sdk::Handler handler) {
    requireConfiguring("addRoute");
    if (!handler) throw std::invalid_argument(plugin_id_ + ": addRoute: empty handler");
    if (spec.path.empty() || spec.path.front() != '/') {
        throw std::invalid_argument(plugin_id_ + ": route path must start with '/', got \"" +
                                    spec.path + "\"");
    }
    if (spec.method.empty()) throw std::invalid_argument(plugin_id_ + ": route method is empty");
    for (const auto& existing : routes) {
        const auto& other = existing.spec;
        if (other.method == spec.method && other.path == spec.path &&
            other.prefix == spec.prefix && sdk::iequals(other.host, spec.host)) {
            throw std::logic_error(plugin_id_ + ": route " + spec.method + " " + spec.path +
                                   " registered twice");
        }
    }
    routes.push_back({std::move(spec), std::move(handler)});
}

void TestContext::addHeaderHook(sdk::HeaderHook hook) {
    requireConfiguring("addHeaderHook");
    if (!hook) throw std::invalid_argument(plugin_id_ + ": addHeaderHook: empty hook");
    header_hooks.push_back(std::move(hook));
}

void TestContext::addHtmlTransform(sdk::HtmlTransform transform) {
    requireConfiguring("addHtmlTransform");
    if (!transform) throw std::invalid_argument(plugin_id_ + ": addHtmlTransform: empty");
    html_transforms.push_back(std::move(transform));
}

void TestContext::addCompletionHook(sdk::CompletionHook hook) {
    requireConfiguring("addCompletionHook");
    if (!hook) throw std::invalid_argument(plugin_id_ + ": addCompletionHook: empty hook");
    completion_hooks.push_back(std::move(hook));
}

void TestContext::addHealthCheck(std::string name, sdk::HealthCheck check) {
    requireConfiguring("addHealthCheck");
    if (!check) throw std::invalid_argument(plugin_id_ + ": addHealthCheck: empty check");
    status_.addCheck(std::move(name), std::move(check));
}

}  // namespace portico::testkit::detail

namespace portico::testkit {

std::vector<std::pair<std::string, sdk::CheckResult>> TestStatus::runHealthChecks() const {
    std::vector<std::pair<std::string, sdk::CheckResult>> results;
    for (const auto& [name, check] : checks_) results.emplace_back(name, check());
    return results;
}

void TestStatus::addCheck(std::string name, sdk::HealthCheck check) {
    checks_.emplace_back(std::move(name), std::move(check));
}

}  // namespace portico::testkit
