#pragma once

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "credential.hpp"

namespace portico::plugins::console {

extern const char* const kSchema;

/// The plugin's block, typed.
struct ConsoleConfig {
    std::optional<PasswordHash> password;  ///< nullopt: no login (loopback only)
    std::chrono::minutes session{480};
    std::uint32_t login_attempts = 5;
    std::chrono::minutes login_window{15};
    std::string backup_dir;  ///< absolute
    std::uint32_t keep_backups = 14;
    std::chrono::seconds sample_every{10};
};

/// True when `address` (an IP literal) is in 127.0.0.0/8 or is ::1.
bool isLoopback(const std::string& address);

/// Reads a block already checked against kSchema. `admin_address` is the host's
/// (`SiteInfo::admin_address`) and `data_dir` resolves a relative backup_dir. Throws
/// sdk::ConfigError with every problem: a malformed password_hash, or none while the admin
/// listener is bound off loopback.
ConsoleConfig readConfig(const nlohmann::json& block, const std::string& admin_address,
                         const std::string& data_dir);

}  // namespace portico::plugins::console
