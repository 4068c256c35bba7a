// What a visitor controls and where it ends up: the client address the host decides once from
// server.trusted_proxies, and request bytes in the log, through the real process.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "harness.hpp"

using namespace portico::tests;
using nlohmann::json;

namespace {

std::string clientSeen(int port, const std::map<std::string, std::string>& headers) {
    auto res = request(port, "GET", "/fixture/request", headers);
    REQUIRE(res.status == 200);
    return json::parse(res.body)["client"].get<std::string>();
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("the host decides the client address from server.trusted_proxies, set by environment") {
    TempDir dir;
    SECTION("without trusted proxies no forwarded header is believed") {
        Server server(testConfig(dir, R"({"echo": {}})"));
        CHECK(clientSeen(server.port(), {{"X-Forwarded-For", "198.51.100.7"}}) == "127.0.0.1");
        CHECK(clientSeen(server.port(), {{"Forwarded", "for=198.51.100.7"}}) == "127.0.0.1");
    }
    SECTION("behind a trusted proxy the rightmost untrusted hop is the client") {
        Server server(
            testConfig(dir, R"({"echo": {}})", R"("server": {"trusted_proxies": "${PROXIES}"})"),
            {{"PROXIES", "10.0.0.0/8, 127.0.0.1"}});
        CHECK(clientSeen(server.port(), {}) == "127.0.0.1");
        CHECK(clientSeen(server.port(), {{"X-Forwarded-For", "203.0.113.5, 198.51.100.7"}}) ==
              "198.51.100.7");
        CHECK(clientSeen(server.port(), {{"X-Forwarded-For", "198.51.100.7, 10.1.2.3"}}) ==
              "198.51.100.7");
        CHECK(clientSeen(server.port(), {{"Forwarded", "for=\"[2001:db8::1]:443\""}}) ==
              "2001:db8::1");
        CHECK(clientSeen(server.port(), {{"X-Forwarded-For", "unknown"}}) == "127.0.0.1");
        // The access log names the decided client.
        request(server.port(), "GET", "/fixture", {{"X-Forwarded-For", "192.0.2.44"}});
        CHECK(server.process().waitForOutput(" 192.0.2.44 id="));
    }
}

TEST_CASE("a trusted_proxies entry that is no address is refused before serving, with its path") {
    TempDir dir;
    const std::string config = dir.write(
        "portico.json", testConfig(dir, R"({"echo": {}})",
                                   R"("server": {"trusted_proxies": ["10.0.0.0/8", "traefik"]})"));
    auto result = runPortico({"check-config", "--config", config});
    CHECK(result.status == 1);
    CHECK(contains(result.out + result.err,
                   "server.trusted_proxies[1]: not an IP address or CIDR, got \"traefik\""));
    const std::string env_config = dir.write(
        "env.json", testConfig(dir, R"({"echo": {}})", R"("server": {"trusted_proxies": "${P}"})"));
    auto from_env = runPortico({"serve", "--config", env_config}, {{"P", "10.0.0.0/8,10.0.0.300"}});
    CHECK(from_env.status != 0);
    CHECK(contains(from_env.out + from_env.err,
                   "server.trusted_proxies: not an IP address or CIDR, got \"10.0.0.300\""));
}

TEST_CASE("request bytes cannot forge a log line or reach the operator's terminal raw") {
    TempDir dir;
    Server server(testConfig(dir, R"({"echo": {}})"));
    const std::string forged = "2026-12-02T00:00:00Z info  [portico] forged";
    auto raw = rawExchange(server.port(),
                           "GET /nope%0a2026-12-02T00:00:00Z%20info%20%20[portico]%20forged"
                           "%1b[2J%1b]0;owned%07%c2%9b31m HTTP/1.1\r\nHost: a\r\n"
                           "Connection: close\r\n\r\n");
    REQUIRE(parseResponses(raw).size() == 1);
    REQUIRE(server.process().waitForOutput("forged"));
    const std::string log = server.process().out() + server.process().err();
    INFO(log);
    CHECK_FALSE(contains(log, "\n" + forged));
    CHECK_FALSE(contains(log, "\x1b"));
    CHECK_FALSE(contains(log, "\x07"));
    CHECK_FALSE(contains(log, "\xc2\x9b"));
    CHECK(contains(log, "/nope\\n2026-12-02T00:00:00Z info  [portico] forged\\x1b[2J"));
}

TEST_CASE("the JSON log escapes control characters too, C1 controls included") {
    TempDir dir;
    std::string config = testConfig(dir, R"({"echo": {}})");
    config.replace(config.find("\"log\": {"), 8, "\"log\": {\"format\": \"json\", ");
    Server server(config);
    rawExchange(server.port(),
                "GET /nope%0aforged%1b[2J%c2%9b31m%e2%80%ae HTTP/1.1\r\nHost: a\r\n"
                "Connection: close\r\n\r\n");
    REQUIRE(server.process().waitForOutput("forged"));
    const std::string log = server.process().out() + server.process().err();
    INFO(log);
    CHECK_FALSE(contains(log, "\x1b"));
    CHECK_FALSE(contains(log, "\xc2\x9b"));
    CHECK_FALSE(contains(log, "\xe2\x80\xae"));
    CHECK(contains(log, R"("path":"/nope\nforged\u001b[2J\u009b31m\u202e")"));
}
