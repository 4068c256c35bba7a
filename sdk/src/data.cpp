#include "portico/sdk/data.hpp"

#include <Poco/Data/Statement.h>
#include <Poco/DigestEngine.h>
#include <Poco/Exception.h>
#include <Poco/SHA2Engine.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <stdexcept>

#include "portico/sdk/internal/migrations.hpp"
#include "portico/sdk/resource.hpp"

namespace portico::sdk {

namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

// Any fixed key works: every Portico process sharing a database uses the same one.
constexpr long long kMigrationLockKey = 0x706f727469636fLL;  // "portico"

const std::string& migrationText(const Migration& migration, const std::string& dialect) {
    return dialect == "postgresql" && !migration.postgresql.empty() ? migration.postgresql
                                                                    : migration.sql;
}

// Splits a script at ';' that ends a line (or the text). Enough for DDL; a ';' at a line end
// inside a string literal is not supported.
std::vector<std::string> statements(const std::string& script) {
    std::vector<std::string> out;
    std::string current;
    for (std::size_t i = 0; i < script.size(); ++i) {
        const char c = script[i];
        if (c == ';') {
            std::size_t j = i + 1;
            while (j < script.size() &&
                   (script[j] == ' ' || script[j] == '\t' || script[j] == '\r')) {
                ++j;
            }
            if (j == script.size() || script[j] == '\n') {
                out.push_back(current);
                current.clear();
                continue;
            }
        }
        current += c;
    }
    out.push_back(current);
    out.erase(std::remove_if(out.begin(), out.end(),
                             [](const std::string& s) {
                                 return s.find_first_not_of(" \t\r\n") == std::string::npos;
                             }),
              out.end());
    return out;
}

std::string utcNow() { return rfc3339(std::chrono::system_clock::now()); }

std::string describe(const Migration& m) {
    return "migration " + std::to_string(m.version) + " \"" + m.name + "\"";
}

}  // namespace

std::string DataStore::sql(std::string_view text) const { return dialectSql(text, dialect()); }

std::string dialectSql(std::string_view text, const std::string& dialect) {
    if (dialect != "postgresql") return std::string(text);
    std::string out;
    out.reserve(text.size() + 8);
    char quote = 0;
    int n = 0;
    for (char c : text) {
        if (quote != 0) {
            if (c == quote) quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '?') {
            out += '$' + std::to_string(++n);
            continue;
        }
        out += c;
    }
    return out;
}

namespace internal {

std::string migrationChecksum(const Migration& migration, const std::string& dialect) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(migrationText(migration, dialect));
    return Poco::DigestEngine::digestToHex(engine.digest());
}

void applyMigrations(Poco::Data::Session& session, const std::string& dialect,
                     const std::string& plugin_id, const std::vector<Migration>& migrations) {
    const std::string where = "plugins." + plugin_id + ": ";
    std::vector<Migration> wanted = migrations;
    std::sort(wanted.begin(), wanted.end(),
              [](const Migration& a, const Migration& b) { return a.version < b.version; });
    for (std::size_t i = 0; i < wanted.size(); ++i) {
        if (wanted[i].version != static_cast<int>(i + 1)) {
            throw std::invalid_argument(where + "migrations must be numbered 1, 2, 3, ...; got " +
                                        std::to_string(wanted[i].version) + " at position " +
                                        std::to_string(i + 1));
        }
    }
    const bool postgres = dialect == "postgresql";
    auto q = [&](std::string_view text) { return dialectSql(text, dialect); };

    // The lock is taken before anything is read, so a second replica waits here and then sees
    // what the first one applied.
    if (postgres) {
        session.begin();
        session << "SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLockKey) + ")", now;
    } else {
        session << "BEGIN IMMEDIATE", now;
    }
    const Migration* running = nullptr;
    try {
        session << "CREATE TABLE IF NOT EXISTS portico_migrations ("
                   "plugin TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, "
                   "checksum TEXT NOT NULL, applied_at TEXT NOT NULL, "
                   "PRIMARY KEY (plugin, version))",
            now;
        std::string id = plugin_id;
        std::vector<int> versions;
        std::vector<std::string> sums;
        session << q(
            "SELECT version, checksum FROM portico_migrations WHERE plugin = ? "
            "ORDER BY version"),
            into(versions), into(sums), use(id), now;
        std::map<int, std::string> applied;
        for (std::size_t i = 0; i < versions.size(); ++i) applied[versions[i]] = sums[i];

        for (const auto& [version, sum] : applied) {
            if (version < 1 || version > static_cast<int>(wanted.size())) {
                throw std::runtime_error(
                    where + "the database has migration " + std::to_string(version) +
                    ", which this version of the plugin does not know (was it downgraded?)");
            }
            const Migration& m = wanted[static_cast<std::size_t>(version - 1)];
            const std::string expected = migrationChecksum(m, dialect);
            if (expected != sum) {
                throw std::runtime_error(where + describe(m) +
                                         " was changed after it was applied (recorded checksum " +
                                         sum.substr(0, 12) + ", now " + expected.substr(0, 12) +
                                         "); restore its text and add a new migration instead");
            }
        }
        for (const auto& m : wanted) {
            if (applied.count(m.version) > 0) continue;
            running = &m;
            for (const auto& statement : statements(migrationText(m, dialect))) {
                session << statement, now;
            }
            int version = m.version;
            std::string name = m.name, sum = migrationChecksum(m, dialect), at = utcNow();
            session << q(
                "INSERT INTO portico_migrations (plugin, version, name, checksum, "
                "applied_at) VALUES (?, ?, ?, ?, ?)"),
                use(id), use(version), use(name), use(sum), use(at), now;
            running = nullptr;
        }
        if (postgres) {
            session.commit();
        } else {
            session << "COMMIT", now;
        }
    } catch (const std::exception& e) {
        try {
            if (postgres) {
                session.rollback();
            } else {
                session << "ROLLBACK", now;
            }
        } catch (...) {
            // The connection is gone; the transaction was never committed either way.
        }
        std::string cause = e.what();
        if (const auto* poco = dynamic_cast<const Poco::Exception*>(&e))
            cause = poco->displayText();
        if (running == nullptr) {
            if (cause.rfind(where, 0) == 0) throw std::runtime_error(cause);
            throw std::runtime_error(where + "migrations failed: " + cause);
        }
        throw std::runtime_error(where + describe(*running) + " failed: " + cause +
                                 "; no migration of this start was applied");
    }
}

}  // namespace internal

}  // namespace portico::sdk
