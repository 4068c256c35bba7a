#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "portico/sdk/csp.hpp"

namespace portico::plugins::headers {

using Csp = sdk::Csp;

/// JSON schema of the `headers` config block.
extern const char* const kSchema;

/// The fields one response gets: a CSP plus every other field, fixed at configure time.
struct FieldSet {
    Csp csp;
    std::vector<std::pair<std::string, std::string>> fields;  ///< value "" removes the field
};

/// One per-path override, by path prefix; the longest matching prefix wins.
struct PathRule {
    std::string prefix;
    FieldSet set;
};

/// The typed `headers` config.
struct Config {
    FieldSet defaults;
    std::vector<PathRule> paths;  ///< longest prefix first
};

/// Reads a validated block (defaults filled in). Throws `sdk::ConfigError` with every problem,
/// paths relative to the block.
Config readConfig(const nlohmann::json& block);

/// The fields of a profile ("public-site" or "strict") before config is applied.
FieldSet profile(const std::string& name);

}  // namespace portico::plugins::headers
