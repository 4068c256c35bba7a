#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "portico/sdk/errors.hpp"

namespace portico::plugins::studio {

/// JSON schema of the `studio` config block.
extern const char* const kSchema;

/// The `studio` block, read once per config generation.
struct StudioConfig {
    std::string host;                  ///< lower-case host name the studio site answers on
    std::string root;                  ///< site folder; empty: the one installed with the plugin
    std::vector<std::string> locales;  ///< the first is the default; never empty after reading
    bool noindex = true;
    /// Per-locale overrides of the strings in `<root>/locales/<locale>.json`.
    std::map<std::string, std::map<std::string, std::string>> strings;
};

/// Reads the validated block. `site_locales` is the default for `locales`. Problems the schema
/// cannot express (a malformed host, duplicate locales, strings for a locale not served) are
/// added to `errors` with paths relative to the block.
StudioConfig readConfig(const nlohmann::json& block, const std::vector<std::string>& site_locales,
                        sdk::ConfigErrors& errors);

/// True for a DNS host name such as "studio.example.com" (letters, digits, hyphens, dots; no
/// scheme, port or path). Expects lower case.
bool validHostName(const std::string& host);

}  // namespace portico::plugins::studio
