#pragma once

// Host side of the data store: how the portico host and the test kit apply a plugin's
// migrations. Not installed; plugins call `DataStore::migrate()` (portico/sdk/data.hpp).

#include <Poco/Data/Session.h>

#include <string>
#include <vector>

#include "portico/sdk/data.hpp"

namespace portico::sdk::internal {

/// The SHA-256 (hex) of the SQL a migration runs on `dialect`; what the host records.
std::string migrationChecksum(const Migration& migration, const std::string& dialect);

/// Runs `migrations` for `plugin_id` on `session` as `DataStore::migrate()` describes. Throws
/// `std::runtime_error` naming the migration that failed or whose text changed.
void applyMigrations(Poco::Data::Session& session, const std::string& dialect,
                     const std::string& plugin_id, const std::vector<Migration>& migrations);

}  // namespace portico::sdk::internal
