#include "dotenv.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

using portico::host::parseDotenv;

TEST_CASE("dotenv text is parsed into variables") {
    struct Case {
        const char* text;
        std::map<std::string, std::string> expected;
    };
    const std::vector<Case> cases = {
        {"", {}},
        {"\n# only a comment\n   \n", {}},
        {"A=1", {{"A", "1"}}},
        {"A=1\r\nB=2\r\n", {{"A", "1"}, {"B", "2"}}},
        {"export A=1", {{"A", "1"}}},
        {"  A = spaced value  ", {{"A", "spaced value"}}},
        {"A=value # comment", {{"A", "value"}}},
        {"A=val#ue", {{"A", "val#ue"}}},
        {"A=", {{"A", ""}}},
        {"A='single $X # kept'", {{"A", "single $X # kept"}}},
        {"A=\"double \\\"q\\\" \\n\\\\\" # comment", {{"A", "double \"q\" \n\\"}}},
        {"A=1\nA=2", {{"A", "2"}}},
        {"\xEF\xBB\xBF"
         "A=bom",
         {{"A", "bom"}}},
        {"exported=1", {{"exported", "1"}}},
        {"A=a=b", {{"A", "a=b"}}},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        const auto dotenv = parseDotenv(c.text, ".env");
        CHECK(dotenv.problems.empty());
        CHECK(dotenv.values == c.expected);
    }
}

TEST_CASE("malformed dotenv lines are reported with file and line") {
    struct Case {
        const char* text;
        const char* expected;
    };
    const Case cases[] = {
        {"A=1\nnot a pair", "x/.env:2: expected KEY=VALUE, got \"not a pair\""},
        {"1A=x",
         "x/.env:1: invalid variable name \"1A\"; names are letters, digits and "
         "underscores, not starting with a digit"},
        {"=x",
         "x/.env:1: invalid variable name \"\"; names are letters, digits and underscores, "
         "not starting with a digit"},
        {"A='open", "x/.env:1: unterminated single-quoted value for A"},
        {"A=\"open", "x/.env:1: unterminated double-quoted value for A"},
        {"A='x' y", "x/.env:1: unexpected text after the closing quote of A"},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        const auto dotenv = parseDotenv(c.text, "x/.env");
        REQUIRE(dotenv.problems.size() == 1);
        CHECK(dotenv.problems[0].str() == c.expected);
    }
}
