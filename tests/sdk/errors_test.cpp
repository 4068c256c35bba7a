#include "portico/sdk/errors.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using portico::sdk::ConfigError;
using portico::sdk::ConfigErrors;
using portico::sdk::ConfigIssue;
using portico::sdk::HttpError;

TEST_CASE("a config error with one issue keeps it and prints it as path: message") {
    const ConfigError error("burst", "must be at least 1, got -3");
    REQUIRE(error.issues().size() == 1);
    CHECK(error.issues()[0].path == "burst");
    CHECK(error.issues()[0].message == "must be at least 1, got -3");
    CHECK(std::string(error.what()) == "burst: must be at least 1, got -3");
}

TEST_CASE("a config error about the block itself prints the message alone") {
    const ConfigError error("", "missing required key 'greeting'");
    CHECK(std::string(error.what()) == "missing required key 'greeting'");
}

TEST_CASE("a config error with several issues prints one line per issue in order") {
    const ConfigError error(std::vector<ConfigIssue>{
        {"rate", "must be at least 1, got 0"},
        {"", "unknown key 'brust'; did you mean 'burst'?"},
        {"zones[2].name", "must not be empty"},
    });
    CHECK(error.issues().size() == 3);
    CHECK(error.issues()[2].path == "zones[2].name");
    CHECK(std::string(error.what()) ==
          "rate: must be at least 1, got 0\n"
          "unknown key 'brust'; did you mean 'burst'?\n"
          "zones[2].name: must not be empty");
}

TEST_CASE("collected config errors throw nothing while empty") {
    ConfigErrors errors;
    CHECK(errors.empty());
    CHECK_NOTHROW(errors.throwIfAny());
}

TEST_CASE("collected config errors are thrown together in the order they were added") {
    ConfigErrors errors;
    errors.add("a", "must not be empty");
    errors.add("b", "expected integer, got string \"x\"");
    CHECK_FALSE(errors.empty());
    try {
        errors.throwIfAny();
        FAIL("throwIfAny did not throw");
    } catch (const ConfigError& error) {
        REQUIRE(error.issues().size() == 2);
        CHECK(error.issues()[0].path == "a");
        CHECK(error.issues()[1].message == "expected integer, got string \"x\"");
        CHECK(std::string(error.what()) ==
              "a: must not be empty\nb: expected integer, got string \"x\"");
    }
}

TEST_CASE("an http error carries its status and a client-safe message") {
    const HttpError error(413, "request body too large");
    CHECK(error.status() == 413);
    CHECK(std::string(error.what()) == "request body too large");
}
