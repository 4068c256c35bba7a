#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "portico/sdk/errors.hpp"

namespace portico::sdk {

/// Levenshtein edit distance, for "did you mean" hints.
std::size_t editDistance(std::string_view a, std::string_view b);

/// The closest candidate to `word` when it is plausibly a typo, else empty.
std::string closestMatch(std::string_view word, const std::vector<std::string>& candidates);

/// Joins a dotted JSON path: joinPath("a.b", "c") == "a.b.c"; array indices as "a[2]".
std::string joinPath(const std::string& base, const std::string& key);

/// Validates `value` against a schema written in a small subset of JSON Schema:
/// `type` (object, array, string, integer, number, boolean, or a list of them), `properties`,
/// `required`, `additionalProperties` (false unless given; a schema allows any key), `default`,
/// `description`, `enum`, `minimum`, `maximum`, `minLength`, `maxLength`, `items`, `minItems`,
/// `maxItems`, `pattern`.
/// Fills in defaults, collects every problem with its dotted path (prefixed by `base_path`)
/// and suggests the closest known key for unknown keys. Strings at the JSON pointers listed in
/// `substituted` came from `${VAR}` and are converted to the schema's integer, number or
/// boolean type when they parse as one. Never throws for bad input; throws
/// `std::invalid_argument` for a malformed schema.
void validateAgainstSchema(const nlohmann::json& schema, nlohmann::json& value,
                           const std::string& base_path, std::vector<ConfigIssue>& issues,
                           const std::set<std::string>& substituted = {});

}  // namespace portico::sdk
