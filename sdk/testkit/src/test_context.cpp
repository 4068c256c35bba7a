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
    std::string pattern =
        std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/portico-testhost-XXXXXX";
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
