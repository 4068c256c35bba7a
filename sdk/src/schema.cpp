#include "portico/sdk/schema.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <regex>
#include <stdexcept>
#include <utility>

namespace portico::sdk {

namespace {

using nlohmann::json;

const std::vector<std::string> kTypeNames = {"object", "array",   "string", "integer",
                                             "number", "boolean", "null"};

const std::vector<std::string> kKeywords = {
    "type",     "properties",  "required",  "additionalProperties",
    "default",  "description", "enum",      "minimum",
    "maximum",  "minLength",   "maxLength", "items",
    "minItems", "maxItems",    "pattern",   "title",
    "examples", "$comment"};

std::string compact(const json& value) {
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

// Like editDistance, but an adjacent transposition ("prot" for "port") costs one edit: the
// commonest typo should count as one.
std::size_t typoDistance(std::string_view a, std::string_view b) {
    const std::size_t n = a.size();
    const std::size_t m = b.size();
    std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1, 0));
    for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= n; ++i) {
        for (std::size_t j = 1; j <= m; ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[n][m];
}

std::string escapePointerToken(const std::string& key) {
    std::string out;
    for (char c : key) {
        if (c == '~') {
            out += "~0";
        } else if (c == '/') {
            out += "~1";
        } else {
            out += c;
        }
    }
    return out;
}

std::string plural(std::int64_t count, const char* noun) {
    return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

std::size_t codePoints(const std::string& text) {
    std::size_t count = 0;
    for (unsigned char c : text) {
        if ((c & 0xC0) != 0x80) ++count;
    }
    return count;
}

std::vector<std::string> typesOf(const json& schema) {
    std::vector<std::string> types;
    auto it = schema.find("type");
    if (it == schema.end()) return types;
    if (it->is_string()) {
        types.push_back(it->get<std::string>());
    } else {
        for (const auto& t : *it) types.push_back(t.get<std::string>());
    }
    return types;
}

bool hasType(const std::vector<std::string>& types, const char* name) {
    return std::find(types.begin(), types.end(), name) != types.end();
}

std::string describeTypes(const std::vector<std::string>& types) {
    std::string out;
    for (std::size_t i = 0; i < types.size(); ++i) {
        if (i > 0) out += i + 1 == types.size() ? " or " : ", ";
        out += types[i];
    }
    return out;
}

// "string \"abc\"", "number 5", "boolean true", "object", "array", "null".
std::string describeValue(const json& value) {
    switch (value.type()) {
        case json::value_t::object:
            return "object";
        case json::value_t::array:
            return "array";
        case json::value_t::string:
            return "string " + compact(value);
        case json::value_t::boolean:
            return "boolean " + compact(value);
        case json::value_t::null:
            return "null";
        case json::value_t::number_integer:
        case json::value_t::number_unsigned:
        case json::value_t::number_float:
            return "number " + compact(value);
        default:
            return "value";
    }
}

bool isIntegral(const json& value) {
    if (value.is_number_integer()) return true;
    if (!value.is_number_float()) return false;
    const double d = value.get<double>();
    return std::isfinite(d) && std::floor(d) == d && d >= -9.2e18 && d <= 9.2e18;
}

bool matchesType(const std::string& type, const json& value) {
    if (type == "object") return value.is_object();
    if (type == "array") return value.is_array();
    if (type == "string") return value.is_string();
    if (type == "integer") return isIntegral(value);
    if (type == "number") return value.is_number();
    if (type == "boolean") return value.is_boolean();
    return value.is_null();
}

// Strings filled in by ${VAR} carry numbers and booleans as text; turn them into the type the
// schema wants when the whole string parses as one.
void coerce(const std::vector<std::string>& types, json& value) {
    if (!value.is_string() || types.empty() || hasType(types, "string")) return;
    const std::string text = value.get<std::string>();
    if (text.empty()) return;
    if (hasType(types, "integer") || hasType(types, "number")) {
        const bool integral = std::all_of(text.begin() + (text[0] == '-' ? 1 : 0), text.end(),
                                          [](char c) { return c >= '0' && c <= '9'; }) &&
                              text != "-";
        if (integral) {
            errno = 0;
            char* end = nullptr;
            if (text[0] == '-') {
                const long long parsed = std::strtoll(text.c_str(), &end, 10);
                if (errno == 0 && *end == '\0') {
                    value = static_cast<std::int64_t>(parsed);
                    return;
                }
            } else {
                const unsigned long long parsed = std::strtoull(text.c_str(), &end, 10);
                if (errno == 0 && *end == '\0') {
                    value = static_cast<std::uint64_t>(parsed);
                    return;
                }
            }
        }
        if (hasType(types, "number")) {
            const char first = text[0];
            if (first == '-' || (first >= '0' && first <= '9')) {
                errno = 0;
                char* end = nullptr;
                const double parsed = std::strtod(text.c_str(), &end);
                if (errno == 0 && *end == '\0' && std::isfinite(parsed)) {
                    value = parsed;
                    return;
                }
            }
        }
    }
    if (hasType(types, "boolean")) {
        if (text == "true") {
            value = true;
        } else if (text == "false") {
            value = false;
        }
    }
}

[[noreturn]] void badSchema(const std::string& path, const std::string& what) {
    throw std::invalid_argument("schema at '" + (path.empty() ? std::string("(root)") : path) +
                                "': " + what);
}

void validateNode(const json& schema, json& value, const std::string& path,
                  const std::string& pointer, std::vector<ConfigIssue>& issues,
                  const std::set<std::string>& substituted);

bool isCount(const json& v) { return v.is_number_integer() && v.get<std::int64_t>() >= 0; }

// Rejects schemas the validator would silently misread (a misspelt keyword, a `required` key
// that can never be given), so a plugin author finds the mistake in the first test run.
void checkSchema(const json& schema, const std::string& path) {
    if (!schema.is_object()) badSchema(path, "a schema must be an object");
    for (const auto& [keyword, arg] : schema.items()) {
        if (std::find(kKeywords.begin(), kKeywords.end(), keyword) == kKeywords.end()) {
            badSchema(path, "unknown keyword '" + keyword + "'");
        }
        if (keyword == "type") {
            const bool ok_list =
                arg.is_array() && !arg.empty() &&
                std::all_of(arg.begin(), arg.end(), [](const json& t) { return t.is_string(); });
            if (!arg.is_string() && !ok_list) {
                badSchema(path, "'type' must be a type name or a list of them");
            }
            for (const auto& t : typesOf(schema)) {
                if (std::find(kTypeNames.begin(), kTypeNames.end(), t) == kTypeNames.end()) {
                    badSchema(path, "unknown type '" + t + "'");
                }
            }
        } else if (keyword == "properties") {
            if (!arg.is_object()) badSchema(path, "'properties' must be an object");
            for (const auto& [key, sub] : arg.items()) checkSchema(sub, joinPath(path, key));
        } else if (keyword == "required") {
            if (!arg.is_array()) badSchema(path, "'required' must be a list of key names");
            for (const auto& key : arg) {
                if (!key.is_string()) badSchema(path, "'required' must be a list of key names");
            }
        } else if (keyword == "additionalProperties") {
            if (arg.is_object()) {
                checkSchema(arg, joinPath(path, "*"));
            } else if (!arg.is_boolean()) {
                badSchema(path, "'additionalProperties' must be a boolean or a schema");
            }
        } else if (keyword == "items") {
            checkSchema(arg, joinPath(path, "[]"));
        } else if (keyword == "enum") {
            if (!arg.is_array() || arg.empty()) badSchema(path, "'enum' must be a non-empty list");
        } else if (keyword == "minimum" || keyword == "maximum") {
            if (!arg.is_number()) badSchema(path, "'" + keyword + "' must be a number");
        } else if (keyword == "minLength" || keyword == "maxLength" || keyword == "minItems" ||
                   keyword == "maxItems") {
            if (!isCount(arg)) badSchema(path, "'" + keyword + "' must be a whole number >= 0");
        } else if (keyword == "pattern") {
            if (!arg.is_string()) badSchema(path, "'pattern' must be a string");
            try {
                std::regex re(arg.get<std::string>(), std::regex::ECMAScript);
            } catch (const std::regex_error&) {
                badSchema(path, "'pattern' is not a valid regular expression: " + compact(arg));
            }
        } else if (keyword == "description" || keyword == "title") {
            if (!arg.is_string()) badSchema(path, "'" + keyword + "' must be a string");
        }
    }
    const bool closed =
        !schema.contains("additionalProperties") || schema["additionalProperties"] == json(false);
    if (schema.contains("required") && closed) {
        for (const auto& key : schema["required"]) {
            const auto name = key.get<std::string>();
            if (!schema.contains("properties") || !schema["properties"].contains(name)) {
                badSchema(path, "required key '" + name + "' is not in 'properties'");
            }
        }
    }
    if (schema.contains("default")) {
        json copy = schema["default"];
        json bare = schema;
        bare.erase("default");
        std::vector<ConfigIssue> found;
        validateNode(bare, copy, path, "", found, {});
        if (!found.empty()) {
            badSchema(path, "the default " + compact(schema["default"]) +
                                " is invalid: " + found.front().message);
        }
    }
}

// The defaults of an absent object: its properties' defaults, recursively; null when none.
json defaultsOf(const json& schema) {
    if (schema.contains("default")) return schema["default"];
    const auto types = typesOf(schema);
    if (!schema.contains("properties") || (!types.empty() && !hasType(types, "object"))) {
        return nullptr;
    }
    json out = json::object();
    for (const auto& [key, sub] : schema["properties"].items()) {
        json d = defaultsOf(sub);
        if (!d.is_null()) out[key] = std::move(d);
    }
    return out.empty() ? json(nullptr) : out;
}

void validateObject(const json& schema, json& value, const std::string& path,
                    const std::string& pointer, std::vector<ConfigIssue>& issues,
                    const std::set<std::string>& substituted) {
    static const json kEmpty = json::object();
    const json& properties = schema.contains("properties") ? schema["properties"] : kEmpty;
    const json additional =
        schema.contains("additionalProperties") ? schema["additionalProperties"] : json(false);

    for (auto& [key, child] : value.items()) {
        const std::string child_path = joinPath(path, key);
        const std::string child_pointer = pointer + "/" + escapePointerToken(key);
        if (properties.contains(key)) {
            validateNode(properties[key], child, child_path, child_pointer, issues, substituted);
        } else if (additional.is_object()) {
            validateNode(additional, child, child_path, child_pointer, issues, substituted);
        } else if (additional == json(false)) {
            std::vector<std::string> known;
            for (const auto& [name, sub] : properties.items()) known.push_back(name);
            const std::string hint = closestMatch(key, known);
            std::string message = "unknown key '" + key + "'";
            if (!hint.empty()) {
                message += "; did you mean '" + hint + "'?";
            } else if (known.empty()) {
                message += "; this block takes no keys";
            } else {
                message += "; allowed keys: ";
                for (std::size_t i = 0; i < known.size(); ++i) {
                    message += (i > 0 ? ", " : "") + known[i];
                }
            }
            issues.push_back({path, message});
        }
    }

    std::set<std::string> required;
    if (schema.contains("required")) {
        for (const auto& key : schema["required"]) {
            required.insert(key.get<std::string>());
            if (!value.contains(key.get<std::string>())) {
                issues.push_back({path, "missing required key '" + key.get<std::string>() + "'"});
            }
        }
    }

    for (const auto& [key, sub] : properties.items()) {
        if (value.contains(key) || required.count(key) > 0) continue;
        json d = defaultsOf(sub);
        if (!d.is_null()) value[key] = std::move(d);
    }
}

// The type check (after coercing a substituted string); false after an issue.
bool checkType(const json& schema, json& value, const std::string& path, const std::string& pointer,
               std::vector<ConfigIssue>& issues, const std::set<std::string>& substituted) {
    const auto types = typesOf(schema);
    if (substituted.count(pointer) > 0) coerce(types, value);
    if (types.empty()) return true;
    bool ok = false;
    for (const auto& t : types) ok = ok || matchesType(t, value);
    if (!ok) {
        issues.push_back(
            {path, "expected " + describeTypes(types) + ", got " + describeValue(value)});
        return false;
    }
    // 8080.0 where an integer is wanted: keep it an integer from here on.
    if (value.is_number_float() && hasType(types, "integer") && !hasType(types, "number")) {
        value = static_cast<std::int64_t>(value.get<double>());
    }
    return true;
}

// The enum check; false after an issue.
bool checkEnum(const json& schema, const json& value, const std::string& path,
               std::vector<ConfigIssue>& issues) {
    if (!schema.contains("enum")) return true;
    const json& options = schema["enum"];
    if (std::find(options.begin(), options.end(), value) != options.end()) return true;
    std::string list;
    for (const auto& option : options) list += (list.empty() ? "" : ", ") + compact(option);
    issues.push_back({path, "must be one of " + list + "; got " + compact(value)});
    return false;
}

void checkNumber(const json& schema, const json& value, const std::string& path,
                 std::vector<ConfigIssue>& issues) {
    const double number = value.get<double>();
    if (schema.contains("minimum") && number < schema["minimum"].get<double>()) {
        issues.push_back(
            {path, "must be at least " + compact(schema["minimum"]) + ", got " + compact(value)});
    }
    if (schema.contains("maximum") && number > schema["maximum"].get<double>()) {
        issues.push_back(
            {path, "must be at most " + compact(schema["maximum"]) + ", got " + compact(value)});
    }
}

void checkString(const json& schema, const json& value, const std::string& path,
                 std::vector<ConfigIssue>& issues) {
    const std::string& text = value.get_ref<const std::string&>();
    const auto length = static_cast<std::int64_t>(codePoints(text));
    if (schema.contains("minLength") && length < schema["minLength"].get<std::int64_t>()) {
        const auto min = schema["minLength"].get<std::int64_t>();
        issues.push_back({path, min == 1 ? std::string("must not be empty")
                                         : "must be at least " + plural(min, "character") +
                                               " long, got " + compact(value)});
    }
    if (schema.contains("maxLength") && length > schema["maxLength"].get<std::int64_t>()) {
        issues.push_back({path, "must be at most " +
                                    plural(schema["maxLength"].get<std::int64_t>(), "character") +
                                    " long, got " + plural(length, "character")});
    }
    if (schema.contains("pattern")) {
        const auto& pattern = schema["pattern"].get_ref<const std::string&>();
        if (!std::regex_search(text, std::regex(pattern, std::regex::ECMAScript))) {
            issues.push_back({path, "must match " + pattern + ", got " + compact(value)});
        }
    }
}

void checkArray(const json& schema, json& value, const std::string& path,
                const std::string& pointer, std::vector<ConfigIssue>& issues,
                const std::set<std::string>& substituted) {
    const auto count = static_cast<std::int64_t>(value.size());
    if (schema.contains("minItems") && count < schema["minItems"].get<std::int64_t>()) {
        issues.push_back(
            {path, "must have at least " + plural(schema["minItems"].get<std::int64_t>(), "item")});
    }
    if (schema.contains("maxItems") && count > schema["maxItems"].get<std::int64_t>()) {
        issues.push_back({path, "must have at most " +
                                    plural(schema["maxItems"].get<std::int64_t>(), "item") +
                                    ", got " + std::to_string(count)});
    }
    if (!schema.contains("items")) return;
    for (std::size_t i = 0; i < value.size(); ++i) {
        validateNode(schema["items"], value[i], joinPath(path, "[" + std::to_string(i) + "]"),
                     pointer + "/" + std::to_string(i), issues, substituted);
    }
}

void validateNode(const json& schema, json& value, const std::string& path,
                  const std::string& pointer, std::vector<ConfigIssue>& issues,
                  const std::set<std::string>& substituted) {
    if (!checkType(schema, value, path, pointer, issues, substituted)) return;
    if (!checkEnum(schema, value, path, issues)) return;
    if (value.is_number()) {
        checkNumber(schema, value, path, issues);
    } else if (value.is_string()) {
        checkString(schema, value, path, issues);
    } else if (value.is_array()) {
        checkArray(schema, value, path, pointer, issues, substituted);
    } else if (value.is_object()) {
        validateObject(schema, value, path, pointer, issues, substituted);
    }
}

}  // namespace

std::size_t editDistance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> previous(b.size() + 1);
    std::vector<std::size_t> current(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
        }
        std::swap(previous, current);
    }
    return previous[b.size()];
}

std::string closestMatch(std::string_view word, const std::vector<std::string>& candidates) {
    if (word.empty()) return {};
    const std::string needle = lower(word);
    std::string best;
    // Ranked by distance, then by sharing a prefix ("max_size" is a cut-off "max_size_mb",
    // not a misspelt "max_files"), then by candidate order.
    std::pair<std::size_t, int> best_rank{std::numeric_limits<std::size_t>::max(), 0};
    for (const auto& candidate : candidates) {
        const std::string other = lower(candidate);
        const std::size_t longest = std::max(needle.size(), other.size());
        const std::size_t limit = std::max<std::size_t>(1, longest / 3);
        const std::size_t distance = typoDistance(needle, other);
        const bool prefix = other.rfind(needle, 0) == 0 || needle.rfind(other, 0) == 0;
        const std::pair<std::size_t, int> rank{distance, prefix ? 0 : 1};
        if (distance <= limit && rank < best_rank) {
            best = candidate;
            best_rank = rank;
        }
    }
    return best;
}

std::string joinPath(const std::string& base, const std::string& key) {
    if (key.empty()) return base;
    if (base.empty() || key.front() == '[') return base + key;
    return base + "." + key;
}

void validateAgainstSchema(const nlohmann::json& schema, nlohmann::json& value,
                           const std::string& base_path, std::vector<ConfigIssue>& issues,
                           const std::set<std::string>& substituted) {
    checkSchema(schema, base_path);
    validateNode(schema, value, base_path, "", issues, substituted);
}

}  // namespace portico::sdk
