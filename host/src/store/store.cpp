#include "store/store.hpp"

#include <Poco/Data/DataException.h>
#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "portico/sdk/file_cache.hpp"
#include "portico/sdk/http.hpp"
#include "portico/sdk/internal/migrations.hpp"

namespace portico::host {

namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;

constexpr int kIdleSeconds = 60;

std::string redacted(const std::string& url) {
    const std::size_t scheme = url.find("://");
    const std::size_t at = url.find('@');
    if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
    const std::size_t colon = url.find(':', scheme + 3);
    if (colon == std::string::npos || colon > at) return url;
    return url.substr(0, colon + 1) + "***" + url.substr(at);
}

std::string quotedValue(const std::string& value) {
    std::string out = "'";
    for (char c : value) {
        if (c == '\\' || c == '\'') out += '\\';
        out += c;
    }
    return out + "'";
}

}  // namespace

std::string postgresConnectionString(const std::string& url) {
    std::string rest = url.substr(url.find("://") == std::string::npos ? 0 : url.find("://") + 3);
    std::string query;
    if (const auto q = rest.find('?'); q != std::string::npos) {
        query = rest.substr(q + 1);
        rest.erase(q);
    }
    std::string db;
    if (const auto slash = rest.find('/'); slash != std::string::npos) {
        db = sdk::percentDecode(rest.substr(slash + 1));
        rest.erase(slash);
    }
    std::string user, password;
    if (const auto at = rest.rfind('@'); at != std::string::npos) {
        const std::string credentials = rest.substr(0, at);
        rest.erase(0, at + 1);
        const auto colon = credentials.find(':');
        user = sdk::percentDecode(credentials.substr(0, colon));
        if (colon != std::string::npos)
            password = sdk::percentDecode(credentials.substr(colon + 1));
    }
    std::string host = rest, port;
    if (const auto colon = rest.rfind(':'); colon != std::string::npos && rest.back() != ']') {
        host = rest.substr(0, colon);
        port = rest.substr(colon + 1);
    }
    if (host.size() > 1 && host.front() == '[') host = host.substr(1, host.size() - 2);
    if (host.empty()) throw std::invalid_argument("database.url: names no host");
    std::string out = "host=" + quotedValue(host);
    if (!port.empty()) out += " port=" + quotedValue(port);
    if (!user.empty()) out += " user=" + quotedValue(user);
    if (!password.empty()) out += " password=" + quotedValue(password);
    if (!db.empty()) out += " dbname=" + quotedValue(db);
    std::size_t start = 0;
    while (start < query.size()) {
        std::size_t end = query.find('&', start);
        if (end == std::string::npos) end = query.size();
        const std::string pair = query.substr(start, end - start);
        const auto eq = pair.find('=');
        if (eq != std::string::npos && eq > 0) {
            out += " " + sdk::percentDecode(pair.substr(0, eq)) + "=" +
                   quotedValue(sdk::percentDecode(pair.substr(eq + 1)));
        }
        start = end + 1;
    }
    return out;
}

unsigned makePrivateDir(const std::string& dir) { return sdk::makePrivateDir(dir); }

void makePrivateFile(const std::string& file) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), file);
    struct stat st {};
    const bool ok =
        ::fstat(fd, &st) == 0 && ((st.st_mode & 07777) == 0600 || ::fchmod(fd, 0600) == 0);
    const int saved = errno;
    ::close(fd);
    if (!ok) throw std::system_error(saved, std::generic_category(), file);
}

void registerDataConnectors() {
    static std::once_flag once;
    std::call_once(once, [] {
        Poco::Data::SQLite::Connector::registerConnector();
        Poco::Data::PostgreSQL::Connector::registerConnector();
    });
}

Store::Store(DatabaseConfig config, std::string data_dir, bool must_exist)
    : config_(std::move(config)), data_dir_(std::move(data_dir)), must_exist_(must_exist) {
    registerDataConnectors();
}

Store::~Store() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (pool_) {
        try {
            pool_->shutdown();
        } catch (...) {
            // Closing connections at exit must not throw.
        }
    }
}

std::string Store::dialect() const { return config_.url.empty() ? "sqlite" : "postgresql"; }

std::string Store::sqlitePath() const {
    return config_.url.empty() ? (std::filesystem::path(data_dir_) / "portico.db").string() : "";
}

std::string Store::describe() const {
    return config_.url.empty() ? "\"" + sqlitePath() + "\"" : "\"" + redacted(config_.url) + "\"";
}

bool Store::opened() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return pool_ != nullptr;
}

void Store::openLocked() {
    if (pool_) return;
    const int min = static_cast<int>(config_.pool_min);
    const int max = static_cast<int>(std::max(config_.pool_max, config_.pool_min));
    try {
        if (dialect() == "sqlite") {
            const std::string path = sqlitePath();
            std::error_code ec;
            if (must_exist_ && !std::filesystem::exists(path, ec)) {
                throw std::runtime_error("database: no database at \"" + path + "\"");
            }
            if (!must_exist_) {
                makePrivateFile(path);
                for (const char* suffix : {"-wal", "-shm", "-journal"}) {
                    ::chmod((path + suffix).c_str(),
                            0600);  // left by an older version; may not exist
                }
            }
            auto pool =
                std::make_unique<Poco::Data::SessionPool>("SQLite", path, min, max, kIdleSeconds);
            Poco::Data::Session first(pool->get());
            std::string mode;
            first << "PRAGMA journal_mode=WAL", into(mode), now;
            struct stat st {};
            if (::stat(path.c_str(), &st) != 0) {
                throw std::runtime_error("database: \"" + path + "\" vanished while opening it");
            }
            sqlite_dev_ = st.st_dev;
            sqlite_ino_ = st.st_ino;
            pool_ = std::move(pool);
        } else {
            auto pool = std::make_unique<Poco::Data::SessionPool>(
                "PostgreSQL", postgresConnectionString(config_.url), min, max, kIdleSeconds);
            Poco::Data::Session first(pool->get());  // fails early with the server's reason
            pool_ = std::move(pool);
        }
    } catch (const Poco::Exception& e) {
        throw std::runtime_error("database: cannot open " + describe() + ": " + e.displayText());
    } catch (const std::system_error& e) {
        throw std::runtime_error("database: cannot create " + describe() + ": " + e.what());
    }
}

void Store::checkSameFile() const {
    const std::string path = sqlitePath();
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        throw Poco::Data::DataException("database: \"" + path + "\" is gone (" +
                                        std::strerror(errno) +
                                        "): was the data directory removed or unmounted? "
                                        "nothing can be stored until it is back");
    }
    if (st.st_dev != sqlite_dev_ || st.st_ino != sqlite_ino_) {
        throw Poco::Data::DataException("database: \"" + path +
                                        "\" was replaced since it was opened; restart portico "
                                        "to use the new file");
    }
}

Poco::Data::Session Store::session() {
    Poco::Data::SessionPool* pool = nullptr;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        openLocked();
        pool = pool_.get();
    }
    // Before every session, so before every write it carries: the open file may have been
    // unlinked, and a commit into it would be acknowledged and then lost.
    if (dialect() == "sqlite") checkSameFile();
    Poco::Data::Session session(pool->get());
    if (dialect() == "sqlite") {
        // Per connection: a commit is on disk before it returns (a 303 means stored), foreign
        // keys are enforced, and a lock held elsewhere is waited for, up to the timeout.
        int timeout = 0;
        session << "PRAGMA busy_timeout=" + std::to_string(config_.busy_timeout_ms), into(timeout),
            now;
        session << "PRAGMA synchronous=FULL", now;
        session << "PRAGMA foreign_keys=ON", now;
    }
    return session;
}

void Store::migrate(const std::string& plugin_id, const std::vector<sdk::Migration>& migrations) {
    Poco::Data::Session s = session();
    sdk::internal::applyMigrations(s, dialect(), plugin_id, migrations);
}

sdk::CheckResult Store::check() {
    const auto start = std::chrono::steady_clock::now();
    try {
        if (dialect() == "sqlite") {
            std::error_code ec;
            if (!std::filesystem::exists(sqlitePath(), ec)) {
                return {"fail", "", "database file " + describe() + " is missing"};
            }
        }
        Poco::Data::Session s = session();
        int count = 0;
        s << "SELECT COUNT(*) FROM portico_migrations", into(count), now;
    } catch (const Poco::Exception& e) {
        return {"fail", "", e.displayText()};
    } catch (const std::exception& e) {
        return {"fail", "", e.what()};
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    return {"pass", std::to_string(ms) + " ms", ""};
}

std::unique_ptr<DataDirLock> DataDirLock::holdShared(const std::string& data_dir) {
    const std::string path = (std::filesystem::path(data_dir) / "portico.lock").string();
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return nullptr;
    ::fchmod(fd, 0600);  // whatever the umask, or an older version, made it
    if (::flock(fd, LOCK_SH) != 0) {
        ::close(fd);
        return nullptr;
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) == 0) {
        [[maybe_unused]] auto written = ::pwrite(fd, pid.data(), pid.size(), 0);
    }
    return std::unique_ptr<DataDirLock>(new DataDirLock(fd));
}

bool DataDirLock::tryExclusive(const std::string& data_dir, std::string& holder,
                               std::unique_ptr<DataDirLock>& out) {
    const std::string path = (std::filesystem::path(data_dir) / "portico.lock").string();
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return true;  // nothing could have locked a file that cannot exist
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        char buf[32] = {};
        const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
        holder = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "";
        while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' '))
            holder.pop_back();
        ::close(fd);
        return false;
    }
    out.reset(new DataDirLock(fd));
    return true;
}

DataDirLock::~DataDirLock() { ::close(fd_); }

}  // namespace portico::host
