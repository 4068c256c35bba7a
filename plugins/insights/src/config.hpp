#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace portico::plugins::insights {

extern const char* const kSchema;

/// The plugin's block, typed.
struct InsightsConfig {
    std::uint32_t flush_seconds = 60;
    std::uint32_t retention_days = 400;
    std::size_t max_queue = 100000;
    std::uint32_t max_values_per_hour = 500;
    std::vector<std::string> exclude_paths;  ///< path prefixes never counted
};

/// Reads a block already checked against kSchema; throws sdk::ConfigError for what the schema
/// cannot express (excluded paths must start with '/').
InsightsConfig readConfig(const nlohmann::json& block);

}  // namespace portico::plugins::insights
