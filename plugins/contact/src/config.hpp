#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace portico::plugins::contact {

extern const char* const kSchema;

/// Shortest accepted secret, in characters.
inline constexpr std::size_t kMinSecretLength = 16;

/// Where one locale's form lives.
struct LocalePages {
    std::string path;         ///< GET renders the form, POST receives it
    std::string thanks_path;  ///< where a stored message is redirected (303)
};

struct NotifyConfig {
    bool enabled = false;
    std::string smtp_host = "127.0.0.1";
    std::uint16_t smtp_port = 25;
    std::string from;
    std::string to;
    std::uint32_t interval_ms = 10000;
    std::uint32_t retry_base_ms = 30000;
    std::uint32_t max_backoff_ms = 3600000;
    std::uint32_t timeout_ms = 10000;
};

/// The plugin's block, typed.
struct ContactConfig {
    std::string secret;  ///< empty: generated once and kept in the data directory
    std::map<std::string, LocalePages> pages;  ///< locale -> pages
    std::uint32_t min_fill_seconds = 3;
    std::uint32_t max_age_seconds = 86400;
    std::uint32_t retention_days = 365;  ///< 0 keeps messages forever
    std::uint32_t retry_after_seconds = 30;
    NotifyConfig notify;
};

/// Reads a block already checked against kSchema; throws sdk::ConfigError for what the schema
/// cannot express (paths must start with '/', locales need strings, notify needs addresses).
ContactConfig readConfig(const nlohmann::json& block);

}  // namespace portico::plugins::contact
