#pragma once

// The data store the host hands plugins (DESIGN.md "Data"): a Poco::Data session pool over
// SQLite (a file in the data directory) or PostgreSQL, plus versioned migrations per plugin.
// The one SDK header that includes Poco: only a plugin that uses the store includes it (every
// other SDK header is Poco-free, which tests/sdk/poco_free_headers.cmake checks).

#include <Poco/Data/Session.h>
#include <Poco/Version.h>

#include <string>
#include <string_view>
#include <vector>

#include "portico/sdk/poco_version.hpp"

// Poco types cross the plugin boundary here, so the plugin must see the Poco the SDK (and the
// host) was built with; the fingerprint check would refuse the plugin later anyway.
static_assert(POCO_VERSION == PORTICO_SDK_POCO_VERSION,
              "portico/sdk/data.hpp: Poco headers differ from the Poco the Portico SDK was built "
              "with (PORTICO_SDK_POCO_VERSION)");

namespace portico::sdk {

/// One versioned schema change of a plugin. Versions start at 1 and increase by one. Once a
/// migration was applied anywhere, never edit it: the host records a checksum of the SQL it
/// ran and refuses to start when the text changed; add a new version instead.
struct Migration {
    int version = 0;
    std::string name;  ///< short description, e.g. "create contact_messages"
    /// Statements separated by ';' at the end of a line, run in one transaction. Portable SQL
    /// (TEXT, INTEGER/BIGINT, no AUTOINCREMENT) runs on both dialects.
    std::string sql;
    /// Replaces `sql` on PostgreSQL when not empty.
    std::string postgresql;
};

/// The host's data store as one plugin sees it. Thread-safe: any thread may ask for a session.
/// The host opens the store lazily, on the first call that needs it, so `check-config` and
/// plugins that never touch it create no database.
class DataStore {
public:
    virtual ~DataStore() = default;

    /// "sqlite" or "postgresql": pick SQL where the dialects differ. Never throws.
    virtual std::string dialect() const = 0;

    /// A session from the host's pool; it goes back to the pool when the last copy is
    /// destroyed. Use `Poco::Data::Keywords` (`use`, `into`, `now`) and `sql()` for
    /// placeholders. Any thread. Throws `Poco::Exception` (e.g. `Poco::Data::DataException`,
    /// `Poco::Data::SessionPoolExhaustedException`) when the store cannot be reached: answer
    /// the visitor with a 503 then, never with success.
    virtual Poco::Data::Session session() = 0;

    /// Applies the plugin's migrations that are not yet applied, in version order, in one
    /// transaction under a store-wide lock (two replicas starting together apply each once),
    /// and records each with its checksum. Call from `start()`. Throws `std::runtime_error`
    /// naming the migration when one failed (the database is left as it was) or when an
    /// applied migration's text changed.
    virtual void migrate(const std::vector<Migration>& migrations) = 0;

    /// `text` with each `?` placeholder outside quotes written as the dialect wants it:
    /// unchanged for SQLite, `$1`, `$2`, ... for PostgreSQL. Pure; never throws but bad_alloc.
    std::string sql(std::string_view text) const;
};

/// `text` rewritten for `dialect` as `DataStore::sql()` does.
std::string dialectSql(std::string_view text, const std::string& dialect);

}  // namespace portico::sdk
