#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "portico/sdk/errors.hpp"
#include "portico/testkit/test_host.hpp"

using nlohmann::json;
using portico::testkit::RequestBuilder;
using portico::testkit::TestHost;

namespace {

// Every issue of a refused config as "path: message", in order.
std::vector<std::string> issuesOf(const json& config) {
    try {
        TestHost host(PORTICO_TEST_PLUGIN_FILE, config);
    } catch (const portico::sdk::ConfigError& e) {
        std::vector<std::string> out;
        for (const auto& issue : e.issues()) out.push_back(issue.path + ": " + issue.message);
        return out;
    }
    return {};
}

}  // namespace

TEST_CASE("an empty config block is accepted and filled with defaults", "[hello]") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE, json{{"enabled", true}});
    CHECK(host.config() == json{{"greeting", "Hello"}, {"path", "/hello"}});
    CHECK(std::string(host.record().id) == "hello");
    REQUIRE(host.routes().size() == 1);
    CHECK(host.routes()[0].spec.path == "/hello");
    CHECK(host.headerHookCount() == 1);
    CHECK(host.logLines() == std::vector<std::string>{"[info] greeting at /hello"});
}

TEST_CASE("bad config blocks are refused with every problem and its path", "[hello]") {
    SECTION("a misspelt key gets a did-you-mean hint") {
        CHECK(issuesOf({{"greting", "Hi"}}) ==
              std::vector<std::string>{": unknown key 'greting'; did you mean 'greeting'?"});
    }
    SECTION("wrong types and an empty greeting") {
        CHECK(issuesOf({{"greeting", ""}, {"path", 5}}) ==
              std::vector<std::string>{"greeting: must not be empty",
                                       "path: expected string, got number 5"});
    }
    SECTION("the plugin itself checks that the path is absolute") {
        CHECK(issuesOf({{"path", "hello"}}) ==
              std::vector<std::string>{"path: must start with '/', got \"hello\""});
    }
}

TEST_CASE("the route greets the visitor named in the query", "[hello]") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE, json{{"greeting", "Hallo"}, {"path", "/gruss"}});

    SECTION("with a name, percent-decoded") {
        auto res = host.handle(RequestBuilder("GET", "/gruss?name=J%C3%BCrgen+M"));
        CHECK(res.status == 200);
        CHECK(res.body == "Hallo, J\xC3\xBCrgen M!");
        CHECK(res.headers.get("Content-Type") == "text/plain; charset=utf-8");
    }
    SECTION("without a name") {
        auto res = host.handle(RequestBuilder("GET", "/gruss"));
        CHECK(res.body == "Hallo, world!");
    }
    SECTION("HEAD answers like GET without a body") {
        auto res = host.handle(RequestBuilder("HEAD", "/gruss?name=Ada"));
        CHECK(res.status == 200);
        CHECK(res.body.empty());
        CHECK(res.headers.get("Content-Type") == "text/plain; charset=utf-8");
    }
    SECTION("other methods get 405 with Allow") {
        auto res = host.handle(RequestBuilder("POST", "/gruss").body("x"));
        CHECK(res.status == 405);
        CHECK(res.headers.get("Allow") == "GET, HEAD");
    }
    SECTION("the default path is not mounted") {
        CHECK(host.handle(RequestBuilder("GET", "/hello")).status == 404);
    }
}

TEST_CASE("every response carries the X-Hello header", "[hello]") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE);
    CHECK(host.handle(RequestBuilder("GET", "/hello")).headers.get("X-Hello") == "1");
    CHECK(host.handle(RequestBuilder("GET", "/elsewhere")).headers.get("X-Hello") == "1");
    CHECK(host.handle(RequestBuilder("DELETE", "/hello")).headers.get("X-Hello") == "1");
}

TEST_CASE("portico hello greet NAME prints the configured greeting", "[hello]") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE, json{{"greeting", "Hallo"}});

    SECTION("as the route would answer") {
        const auto r = host.runCommand("hello", {"greet", "Ada"});
        CHECK(r.status == 0);
        CHECK(r.out == "Hallo, Ada!\n");
        CHECK(r.err.empty());
    }
    SECTION("in capitals with --shout") {
        CHECK(host.runCommand("hello", {"greet", "Ada"}, {{"shout", "true"}}).out ==
              "HALLO, ADA!\n");
    }
    SECTION("other words are a usage error") {
        const auto r = host.runCommand("hello", {"wave"});
        CHECK(r.status == 2);
        CHECK(r.out.empty());
        CHECK(r.err == "hello: expected 'greet NAME'\n");
    }
    SECTION("what portico refuses before the command runs, the test kit refuses too") {
        CHECK_THROWS_AS(host.runCommand("hullo"), std::invalid_argument);
        CHECK_THROWS_AS(host.runCommand("hello", {"greet", "Ada"}, {{"loud", "true"}}),
                        std::invalid_argument);
        CHECK_THROWS_AS(host.runCommand("hello", {"greet", "Ada", "Bob"}), std::invalid_argument);
    }
}
