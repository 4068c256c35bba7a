#include "portico/sdk/schema.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

using nlohmann::json;
using portico::sdk::closestMatch;
using portico::sdk::ConfigIssue;
using portico::sdk::editDistance;
using portico::sdk::joinPath;
using portico::sdk::validateAgainstSchema;

namespace {

// A schema shaped like a small plugin's, used by most cases below.
const char* const kSchema = R"({
  "type": "object",
  "required": ["name"],
  "properties": {
    "name": {"type": "string", "minLength": 1},
    "port": {"type": "integer", "minimum": 1, "maximum": 65535, "default": 8080},
    "ratio": {"type": "number", "minimum": 0, "maximum": 1},
    "debug": {"type": "boolean", "default": false},
    "format": {"type": "string", "enum": ["text", "json"], "default": "text"},
    "slug": {"type": "string", "pattern": "^[a-z]+$", "maxLength": 8},
    "code": {"type": "string", "minLength": 3},
    "tags": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1,
             "maxItems": 3},
    "limits": {
      "type": "object",
      "properties": {
        "burst": {"type": "integer", "minimum": 1, "default": 10},
        "window": {"type": "integer", "default": 60}
      }
    },
    "extra": {"type": "object", "additionalProperties": {"type": "integer"}},
    "loose": {"type": "object", "additionalProperties": true},
    "either": {"type": ["string", "integer"]}
  }
})";

std::vector<std::string> validate(const std::string& schema_text, json& value,
                                  const std::string& base = "",
                                  const std::set<std::string>& substituted = {}) {
    std::vector<ConfigIssue> issues;
    validateAgainstSchema(json::parse(schema_text), value, base, issues, substituted);
    std::vector<std::string> lines;
    for (const auto& issue : issues) lines.push_back(issue.path + ": " + issue.message);
    return lines;
}

std::vector<std::string> validate(json value, const std::string& base = "") {
    return validate(kSchema, value, base);
}

}  // namespace

TEST_CASE("edit distance counts single-character insertions, deletions and substitutions") {
    struct Case {
        const char* a;
        const char* b;
        std::size_t distance;
    };
    const Case cases[] = {
        {"", "", 0},
        {"port", "port", 0},
        {"", "abc", 3},
        {"abc", "", 3},
        {"port", "prot", 2},
        {"kitten", "sitting", 3},
        {"greting", "greeting", 1},
        {"level", "levels", 1},
        {"Port", "port", 1},
    };
    for (const auto& c : cases) {
        INFO(c.a << " / " << c.b);
        CHECK(editDistance(c.a, c.b) == c.distance);
        CHECK(editDistance(c.b, c.a) == c.distance);
    }
}

TEST_CASE("closest match suggests a known key only for plausible typos") {
    struct Case {
        const char* word;
        std::vector<std::string> candidates;
        const char* expected;
    };
    const std::vector<Case> cases = {
        {"prot", {"address", "port"}, "port"},
        {"PORT", {"address", "port"}, "port"},
        {"greting", {"greeting", "name"}, "greeting"},
        {"levle", {"level", "format"}, "level"},
        {"max_size", {"max_files", "max_size_mb"}, "max_size_mb"},
        {"enabeld", {"enabled", "required", "log_level"}, "enabled"},
        {"xyz", {"a", "b", "c"}, ""},
        {"log", {"foo"}, ""},
        {"colour", {}, ""},
        {"", {"a"}, ""},
    };
    for (const auto& c : cases) {
        INFO(c.word);
        CHECK(closestMatch(c.word, c.candidates) == c.expected);
    }
}

TEST_CASE("closest match prefers the nearest candidate") {
    CHECK(closestMatch("form", {"format", "from"}) == "from");
}

TEST_CASE("join path builds dotted paths with bracketed array indices") {
    struct Case {
        const char* base;
        const char* key;
        const char* expected;
    };
    const Case cases[] = {
        {"", "listen", "listen"},
        {"listen", "port", "listen.port"},
        {"plugins.hello", "greeting", "plugins.hello.greeting"},
        {"site.locales", "[1]", "site.locales[1]"},
        {"", "[0]", "[0]"},
        {"site", "", "site"},
    };
    for (const auto& c : cases) {
        CHECK(joinPath(c.base, c.key) == c.expected);
    }
}

TEST_CASE("validation reports each broken value with its path and an exact message") {
    struct Case {
        const char* value;
        std::vector<std::string> expected;
    };
    const std::vector<Case> cases = {
        {R"({"name": "a", "port": "abc"})", {"port: expected integer, got string \"abc\""}},
        {R"({"name": "a", "port": 1.5})", {"port: expected integer, got number 1.5"}},
        {R"({"name": "a", "port": true})", {"port: expected integer, got boolean true"}},
        {R"({"name": "a", "port": null})", {"port: expected integer, got null"}},
        {R"({"name": "a", "port": {}})", {"port: expected integer, got object"}},
        {R"({"name": "a", "port": []})", {"port: expected integer, got array"}},
        {R"({"name": 5})", {"name: expected string, got number 5"}},
        {R"({"name": "a", "debug": "yes"})", {"debug: expected boolean, got string \"yes\""}},
        {R"({"name": "a", "ratio": "x"})", {"ratio: expected number, got string \"x\""}},
        {R"({"name": "a", "either": 1.5})", {"either: expected string or integer, got number 1.5"}},
        {R"({"name": "a", "prot": 1})", {": unknown key 'prot'; did you mean 'port'?"}},
        {R"({"name": "a", "xyz": 1})",
         {": unknown key 'xyz'; allowed keys: code, debug, either, extra, format, limits, loose, "
          "name, port, ratio, slug, tags"}},
        {R"({"port": 80})", {": missing required key 'name'"}},
        {R"({"name": "a", "port": -3})", {"port: must be at least 1, got -3"}},
        {R"({"name": "a", "port": 70000})", {"port: must be at most 65535, got 70000"}},
        {R"({"name": "a", "ratio": 1.5})", {"ratio: must be at most 1, got 1.5"}},
        {R"({"name": "a", "format": "xml"})",
         {"format: must be one of \"text\", \"json\"; got \"xml\""}},
        {R"({"name": ""})", {"name: must not be empty"}},
        {R"({"name": "a", "code": "ab"})",
         {"code: must be at least 3 characters long, got \"ab\""}},
        {R"({"name": "a", "slug": "abcdefghij"})",
         {"slug: must be at most 8 characters long, got 10 characters"}},
        {R"({"name": "a", "slug": "A"})", {"slug: must match ^[a-z]+$, got \"A\""}},
        {R"({"name": "a", "tags": []})", {"tags: must have at least 1 item"}},
        {R"({"name": "a", "tags": ["a", "b", "c", "d"]})",
         {"tags: must have at most 3 items, got 4"}},
        {R"({"name": "a", "tags": ["a", ""]})", {"tags[1]: must not be empty"}},
        {R"({"name": "a", "tags": ["a", 7]})", {"tags[1]: expected string, got number 7"}},
        {R"({"name": "a", "limits": {"burst": 0}})", {"limits.burst: must be at least 1, got 0"}},
        {R"({"name": "a", "limits": {"brust": 5}})",
         {"limits: unknown key 'brust'; did you mean 'burst'?"}},
        {R"({"name": "a", "extra": {"x": "y"}})", {"extra.x: expected integer, got string \"y\""}},
        {R"([1])", {": expected object, got array"}},
    };
    for (const auto& c : cases) {
        INFO(c.value);
        CHECK(validate(json::parse(c.value)) == c.expected);
    }
}

TEST_CASE("validation prefixes every path with the base path") {
    CHECK(validate(json::parse(R"({"name": "a", "port": 0, "prot": 1})"), "plugins.hello") ==
          std::vector<std::string>{
              "plugins.hello.port: must be at least 1, got 0",
              "plugins.hello: unknown key 'prot'; did you mean 'port'?",
          });
}

TEST_CASE("validation collects every problem instead of stopping at the first") {
    const auto lines = validate(json::parse(
        R"({"port": "x", "format": "xml", "tags": [1, 2], "limits": {"burst": -1}, "nope": 1})"));
    CHECK(lines == std::vector<std::string>{
                       "format: must be one of \"text\", \"json\"; got \"xml\"",
                       "limits.burst: must be at least 1, got -1",
                       ": unknown key 'nope'; allowed keys: code, debug, either, extra, format, "
                       "limits, loose, name, port, ratio, slug, tags",
                       "port: expected integer, got string \"x\"",
                       "tags[0]: expected string, got number 1",
                       "tags[1]: expected string, got number 2",
                       ": missing required key 'name'",
                   });
}

TEST_CASE("validation fills in defaults, creating absent nested objects that have them") {
    json value = json::parse(R"({"name": "a"})");
    CHECK(validate(kSchema, value).empty());
    CHECK(value == json::parse(R"({
        "name": "a", "port": 8080, "debug": false, "format": "text",
        "limits": {"burst": 10, "window": 60}
    })"));
}

TEST_CASE("validation fills defaults into a nested object that is present but partial") {
    json value = json::parse(R"({"name": "a", "port": 9000, "limits": {"burst": 3}})");
    CHECK(validate(kSchema, value).empty());
    CHECK(value["port"] == 9000);
    CHECK(value["limits"] == json::parse(R"({"burst": 3, "window": 60})"));
}

TEST_CASE("validation accepts any key where additionalProperties allows it") {
    json value = json::parse(R"({"name": "a", "loose": {"anything": [1, {"x": null}]}})");
    CHECK(validate(kSchema, value).empty());
}

TEST_CASE("an integral floating-point number is accepted as an integer") {
    json value = json::parse(R"({"name": "a", "port": 8080.0})");
    CHECK(validate(kSchema, value).empty());
    CHECK(value["port"].is_number_integer());
    CHECK(value["port"] == 8080);
}

TEST_CASE("a number schema accepts integers and floats") {
    json value = json::parse(R"({"name": "a", "ratio": 1})");
    CHECK(validate(kSchema, value).empty());
    value = json::parse(R"({"name": "a", "ratio": 0.25})");
    CHECK(validate(kSchema, value).empty());
}

TEST_CASE("strings that came from a variable are converted to the type the schema wants") {
    struct Case {
        const char* value;
        const char* pointer;
        const char* expected_value;
        std::vector<std::string> expected_issues;
    };
    const std::vector<Case> cases = {
        {R"({"name": "a", "port": "8080"})", "/port", R"(8080)", {}},
        {R"({"name": "a", "port": "abc"})",
         "/port",
         R"("abc")",
         {"port: expected integer, got string \"abc\""}},
        {R"({"name": "a", "port": "80.5"})",
         "/port",
         R"("80.5")",
         {"port: expected integer, got string \"80.5\""}},
        {R"({"name": "a", "port": "-3"})", "/port", R"(-3)", {"port: must be at least 1, got -3"}},
        {R"({"name": "a", "port": "8080"})",
         "/name",
         R"("a")",
         {"port: expected integer, got string \"8080\""}},
        {R"({"name": "a", "ratio": "0.5"})", "/ratio", R"(0.5)", {}},
        {R"({"name": "a", "debug": "true"})", "/debug", R"(true)", {}},
        {R"({"name": "a", "debug": "false"})", "/debug", R"(false)", {}},
        {R"({"name": "a", "debug": "yes"})",
         "/debug",
         R"("yes")",
         {"debug: expected boolean, got string \"yes\""}},
        {R"({"name": "a", "either": "42"})", "/either", R"("42")", {}},
        {R"({"name": "a", "limits": {"burst": "7"}})",
         "/limits/burst",
         R"({"burst": 7, "window": 60})",
         {}},
        {R"({"name": "7"})", "/name", R"("7")", {}},
    };
    for (const auto& c : cases) {
        INFO(c.value << " at " << c.pointer);
        json value = json::parse(c.value);
        CHECK(validate(kSchema, value, "", {c.pointer}) == c.expected_issues);
        const std::string key =
            std::string(c.pointer).substr(1, std::string(c.pointer).find('/', 1) - 1);
        CHECK(value[key] == json::parse(c.expected_value));
    }
}

TEST_CASE("an unknown key in a block that takes no keys says so") {
    json value = json::parse(R"({"x": 1})");
    CHECK(validate(R"({"type": "object", "properties": {}})", value, "plugins.health") ==
          std::vector<std::string>{"plugins.health: unknown key 'x'; this block takes no keys"});
}

TEST_CASE("a malformed schema is rejected with invalid_argument") {
    const char* const schemas[] = {
        R"([])",
        R"({"type": "integr"})",
        R"({"type": 5})",
        R"({"type": "integer", "maxium": 3})",
        R"({"type": "object", "properties": {"a": {"type": "string", "minLenght": 1}}})",
        R"({"type": "object", "required": ["a"], "properties": {}})",
        R"({"type": "object",
            "properties": {"a": {"type": "integer", "minimum": 1, "default": 0}}})",
        R"({"type": "string", "pattern": "("})",
        R"({"type": "string", "enum": []})",
        R"({"type": "array", "minItems": -1})",
        R"({"type": "object", "additionalProperties": 5})",
    };
    for (const char* schema : schemas) {
        INFO(schema);
        json value = json::object();
        std::vector<ConfigIssue> issues;
        CHECK_THROWS_AS(validateAgainstSchema(json::parse(schema), value, "", issues),
                        std::invalid_argument);
    }
}

TEST_CASE("a malformed schema names the keyword and where it is") {
    json value = json::object();
    std::vector<ConfigIssue> issues;
    CHECK_THROWS_WITH(validateAgainstSchema(
                          json::parse(R"({"type": "object", "properties": {"a": {"maxium": 3}}})"),
                          value, "plugins.x", issues),
                      "schema at 'plugins.x.a': unknown keyword 'maxium'");
}
