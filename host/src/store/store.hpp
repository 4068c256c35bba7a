#pragma once

#include <Poco/Data/Session.h>
#include <Poco/Data/SessionPool.h>
#include <sys/types.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "config.hpp"
#include "portico/sdk/data.hpp"
#include "portico/sdk/status.hpp"

namespace portico::host {

/// Creates `dir` (and missing parents) so that only its owner may enter it: mode 0700 whatever
/// the umask. An existing `dir` with a wider mode is narrowed to 0700. Returns the mode it had
/// when it was narrowed, 0 otherwise. Throws `std::filesystem::filesystem_error`.
unsigned makePrivateDir(const std::string& dir);

/// Creates `file` empty with mode 0600 whatever the umask, unless it exists; an existing file
/// gets mode 0600 too. SQLite gives its -wal, -shm and -journal files the
/// mode of the database file, so they follow. Throws `std::system_error`.
void makePrivateFile(const std::string& file);

/// Registers the Poco::Data SQLite and PostgreSQL connectors, once per process. Plugins never
/// do this themselves.
void registerDataConnectors();

/// "host='h' port='5432' user='u' password='p' dbname='d' sslmode='require'" from
/// "postgresql://u:p@h:5432/d?sslmode=require" (Poco's connector takes only key=value form).
/// Pure; throws std::invalid_argument for a URL without a host.
std::string postgresConnectionString(const std::string& url);

/// The host's data store: one Poco::Data session pool over SQLite (data_dir/portico.db, WAL,
/// synchronous=FULL, foreign keys on, busy timeout) or PostgreSQL (`database.url`). Nothing is
/// opened or created until the first `session()` or `migrate()`. The SQLite file is created
/// 0600, and a session is refused (`Poco::Data::DataException`) once the file at the path is no
/// longer the one that was opened (the data directory was removed, unmounted or replaced): a
/// write would go into an unlinked file and be lost. Thread-safe.
class Store {
public:
    /// `must_exist`: for SQLite, refuse to create a missing database file (CLI commands).
    Store(DatabaseConfig config, std::string data_dir, bool must_exist = false);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    /// "sqlite" or "postgresql".
    std::string dialect() const;
    /// The SQLite file path (empty for PostgreSQL).
    std::string sqlitePath() const;
    /// What the store is, for messages: the SQLite path, or the PostgreSQL URL without password.
    std::string describe() const;
    /// A pooled session, set up for the dialect. Opens the pool on first use. Throws
    /// `Poco::Exception` or `std::runtime_error` ("database: ...") when the store is unreachable.
    Poco::Data::Session session();
    /// Applies `plugin_id`'s pending migrations (see `sdk::internal::applyMigrations`).
    void migrate(const std::string& plugin_id, const std::vector<sdk::Migration>& migrations);
    /// True once the pool was opened (some plugin used the store).
    bool opened() const;
    /// The "database" readiness check: a query against the store. Never throws.
    sdk::CheckResult check();

private:
    void openLocked();
    void checkSameFile() const;

    DatabaseConfig config_;
    std::string data_dir_;
    bool must_exist_;
    mutable std::mutex mutex_;
    std::unique_ptr<Poco::Data::SessionPool> pool_;
    dev_t sqlite_dev_ = 0;  // the SQLite file that was opened
    ino_t sqlite_ino_ = 0;
};

/// The store as one plugin sees it through `sdk::Context::data()`.
class PluginDataStore final : public sdk::DataStore {
public:
    PluginDataStore(Store& store, std::string plugin_id)
        : store_(store), plugin_id_(std::move(plugin_id)) {}
    std::string dialect() const override { return store_.dialect(); }
    Poco::Data::Session session() override { return store_.session(); }
    void migrate(const std::vector<sdk::Migration>& migrations) override {
        store_.migrate(plugin_id_, migrations);
    }

private:
    Store& store_;
    std::string plugin_id_;
};

/// A lock file (data_dir/portico.lock) that every `portico serve` holds shared for its whole
/// life, so `portico restore` can tell that a server uses the data directory.
class DataDirLock {
public:
    /// Takes the shared lock and writes this process id into the file; returns null (after
    /// nothing worse than a failed open) when the file cannot be created.
    static std::unique_ptr<DataDirLock> holdShared(const std::string& data_dir);
    /// Tries the exclusive lock without waiting. False: a server holds it; `holder` gets the
    /// pid written in the file (may be empty).
    static bool tryExclusive(const std::string& data_dir, std::string& holder,
                             std::unique_ptr<DataDirLock>& out);
    ~DataDirLock();
    DataDirLock(const DataDirLock&) = delete;
    DataDirLock& operator=(const DataDirLock&) = delete;

private:
    explicit DataDirLock(int fd) : fd_(fd) {}
    int fd_;
};

}  // namespace portico::host
