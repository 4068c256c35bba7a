#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "portico/sdk/data.hpp"

namespace portico::plugins::console {

/// One snapshot in the backup folder.
struct Backup {
    std::string name;  ///< portico-<UTC time>.db
    std::uintmax_t bytes = 0;
};

/// The snapshots in `dir` (the names `portico backup --out DIR/` writes), newest first.
std::vector<Backup> listBackups(const std::string& dir);

/// Takes a consistent snapshot of the SQLite store into `dir` as `portico backup` does
/// (VACUUM INTO a 0600 file in a 0700 folder, then renamed), named after `stamp`
/// (YYYYmmddTHHMMSSmmmZ), and keeps the newest `keep`. Returns the new file's name. Throws
/// std::runtime_error (PostgreSQL, an existing file) or Poco::Exception.
std::string takeBackup(sdk::DataStore& store, const std::string& dir, const std::string& stamp,
                       std::uint32_t keep);

}  // namespace portico::plugins::console
