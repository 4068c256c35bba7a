#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "issues.hpp"

namespace portico::plugins::pages {

/// Every dotted key of the string leaves of `strings`: {"nav": {"home": "Home"}} -> {"nav.home"}.
std::set<std::string> stringKeys(const nlohmann::json& strings);

/// Reports every key present in one catalog and missing in another (file of the catalog that
/// lacks it), and every leaf that is not a string. `files` names each locale's file. Pure.
void crossCheck(const std::map<std::string, nlohmann::json>& catalogs,
                const std::map<std::string, std::string>& files, Issues& issues);

/// Reads `<dir>/<locale>.json` for every locale (JSON syntax errors with line) and cross-checks.
std::map<std::string, nlohmann::json> loadLocales(const std::string& dir, const std::string& shown,
                                                  const std::vector<std::string>& locales,
                                                  Issues& issues);

/// The string at a dotted key, or nullptr.
const nlohmann::json* lookupString(const nlohmann::json& strings, const std::string& dotted);

}  // namespace portico::plugins::pages
