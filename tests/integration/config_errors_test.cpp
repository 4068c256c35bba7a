// Broken configs through the real process: `portico check-config` prints exactly these lines
// and exits 1, and `portico serve` refuses the same file before binding.
#include <signal.h>

#include <catch2/catch.hpp>

#include "harness.hpp"

using namespace portico::tests;

namespace {

struct Case {
    std::string name;
    std::string config;                 // @DIRS@ = plugin_dirs value, @DATA@ = a data dir
    std::vector<std::string> expected;  // stderr lines after "<file>", without the summary
    std::string dotenv = "";
    std::map<std::string, std::string> env = {};
};

const std::string kSite = R"("site": {"base_url": "http://localhost"})";

std::string fill(std::string text, const TempDir& dir) {
    auto replace = [&](const std::string& from, const std::string& to) {
        for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos)) {
            text.replace(pos, from.size(), to);
            pos += to.size();
        }
    };
    replace("@DIRS@", "[\"" + pluginDir() + "\", \"" + fixtureDir() + "\"]");
    replace("@DATA@", dir.path() + "/data");
    return text;
}

std::string withPlugins(const std::string& plugins) {
    return "{" + kSite +
           ", \"data_dir\": \"@DATA@\", \"plugin_dirs\": @DIRS@, \"plugins\": " + plugins + "}";
}

}  // namespace

TEST_CASE("broken configs are refused with every problem, its file and JSON path") {
    const std::vector<Case> cases = {
        {"syntax error: trailing comma",
         "{\n  " + kSite + ",\n}\n",
         {"portico.json:3:1: syntax error: unexpected '}'; expected string literal"}},
        {"syntax error: unterminated string",
         "{\n  \"site\": {\"base_url\": \"http://x}\n}\n",
         {"portico.json:2:34: syntax error: invalid string: control character U+000A (LF) "
          "must be escaped to \\u000A or \\n; last read: '\"http://x}<U+000A>'"}},
        {"not an object", "[1, 2]", {"portico.json: expected object, got array"}},
        {"missing required block", "{}", {"portico.json: missing required key 'site'"}},
        {"missing required key",
         R"({"site": {}})",
         {"portico.json: site: missing required key 'base_url'"}},
        {"unknown top-level key with hint",
         "{" + kSite + R"(, "lissen": {}})",
         {"portico.json: unknown key 'lissen'; did you mean 'listen'?"}},
        {"unknown nested key with hint",
         "{" + kSite + R"(, "log": {"levle": "info"}})",
         {"portico.json: log: unknown key 'levle'; did you mean 'level'?"}},
        {"wrong type",
         "{" + kSite + R"(, "listen": {"port": "abc"}})",
         {"portico.json: listen.port: expected integer, got string \"abc\""}},
        {"port out of range",
         "{" + kSite + R"(, "listen": {"port": 70000}})",
         {"portico.json: listen.port: must be at most 65535, got 70000"}},
        {"enum value",
         "{" + kSite + R"(, "log": {"format": "xml"}})",
         {"portico.json: log.format: must be one of \"text\", \"json\"; got \"xml\""}},
        {"unset variable without default",
         R"({"site": {"base_url": "${PORTICO_TEST_UNSET}"}})",
         {"portico.json: site.base_url: environment variable 'PORTICO_TEST_UNSET' is not set "
          "and has no default"}},
        {"substituted value of the wrong type",
         "{" + kSite + R"(, "listen": {"port": "${PORTICO_TEST_PORT}"}})",
         {"portico.json: listen.port: expected integer, got string \"eighty\""},
         "",
         {{"PORTICO_TEST_PORT", "eighty"}}},
        {"malformed .env line",
         "{" + kSite + "}",
         {".env:2: expected KEY=VALUE, got \"oops\""},
         "GOOD=1\noops\n"},
        {"bad base_url scheme",
         R"({"site": {"base_url": "ftp://example.com"}})",
         {"portico.json: site.base_url: must start with http:// or https://, got "
          "\"ftp://example.com\""}},
        {"default locale not among locales",
         R"({"site": {"base_url": "http://x", "locales": ["de", "en"], "default_locale": "fr"}})",
         {"portico.json: site.default_locale: must be one of \"de\", \"en\"; got \"fr\""}},
        {"duplicate locale",
         R"({"site": {"base_url": "http://x", "locales": ["de", "de"]}})",
         {"portico.json: site.locales[1]: duplicate locale \"de\""}},
        {"plugin id not lower_snake",
         withPlugins(R"({"Echo": {}})"),
         {"portico.json: plugins: plugin id must match ^[a-z][a-z0-9_]*$, got \"Echo\""}},
        {"unknown plugin id with hint",
         withPlugins(R"({"ecko": {}})"),
         {"portico.json: plugins.ecko: unknown plugin 'ecko'; did you mean 'echo'? (no ecko.so "
          "in " +
          pluginDir() + ", " + fixtureDir() + ")"}},
        {"plugin block not an object",
         withPlugins(R"({"echo": 5})"),
         {"portico.json: plugins.echo: expected object, got number 5"}},
        {"plugin host key of the wrong type",
         withPlugins(R"({"echo": {"enabled": "yes"}})"),
         {"portico.json: plugins.echo.enabled: expected boolean, got string \"yes\""}},
        {"plugin setting of the wrong type",
         withPlugins(R"({"echo": {"greeting": 5}})"),
         {"portico.json: plugins.echo.greeting: expected string, got number 5"}},
        {"plugin unknown key with hint",
         withPlugins(R"({"echo": {"greting": "hi"}})"),
         {"portico.json: plugins.echo: unknown key 'greting'; did you mean 'greeting'?"}},
        {"duplicate route",
         withPlugins(R"({"echo": {}, "alpha": {"prefix": "/fixture/page"}})"),
         {"portico.json: plugins.alpha: route GET /fixture/page is already registered by "
          "plugin 'echo'"}},
        {"dependency cycle",
         withPlugins(R"({"cyc_a": {"prefix": "/a"}, "cyc_b": {"prefix": "/b"},
                         "cyc_c": {"prefix": "/c"}})"),
         {"portico.json: plugins: dependency cycle: cyc_a -> cyc_b -> cyc_c -> cyc_a"}},
        {"unknown dependency",
         withPlugins(R"({"needs_ghost": {}})"),
         {"portico.json: plugins.needs_ghost: unknown dependency 'ghost'"}},
        {"plugin's own validation, all errors at once",
         withPlugins(R"({"echo": {"fail_configure": true}})"),
         {"portico.json: plugins.echo.fail_configure: asked to fail",
          "portico.json: plugins.echo.greeting: also wrong, to show all errors are collected"}},
        {"a bad host key and a bad plugin key, both in one run",
         "{" + kSite + R"(, "listen": {"port": "abc"}, "data_dir": "@DATA@", "plugin_dirs": @DIRS@,
             "plugins": {"echo": {"greeting": 5}}})",
         {"portico.json: listen.port: expected integer, got string \"abc\"",
          "portico.json: plugins.echo.greeting: expected string, got number 5"}},
        {"several problems in one run",
         R"({"site": {"base_url": "http://x"}, "listen": {"port": -5, "adress": "x"},
             "log": {"level": "loud"}})",
         {"portico.json: listen: unknown key 'adress'; did you mean 'address'?",
          "portico.json: listen.port: must be at least 0, got -5",
          "portico.json: log.level: must be one of \"trace\", \"debug\", \"info\", \"warn\", "
          "\"error\", \"critical\", \"off\"; got \"loud\""}},
    };
    REQUIRE(cases.size() >= 25);
    for (const auto& c : cases) {
        DYNAMIC_SECTION(c.name) {
            TempDir dir;
            dir.write("portico.json", fill(c.config, dir));
            if (!c.dotenv.empty()) dir.write(".env", c.dotenv);
            std::string expected;
            for (const auto& line : c.expected) expected += line + "\n";
            std::size_t n = c.expected.size();
            expected += "portico.json: " + std::to_string(n) + " problem" + (n == 1 ? "" : "s") +
                        " found\n";
            auto check =
                runPortico({"check-config", "--config", "portico.json"}, c.env, dir.path());
            CHECK(check.status == 1);
            CHECK(check.err == expected);
            CHECK(check.out.empty());

            auto serve = runPortico({"serve", "--config", "portico.json"}, c.env, dir.path());
            CHECK(serve.status == 1);
            for (const auto& line : c.expected) CHECK(serve.err.find(line) != std::string::npos);
            CHECK(serve.out.find("listening") == std::string::npos);
        }
    }
}

TEST_CASE("a missing config file is named with the reason") {
    TempDir dir;
    auto r = runPortico({"check-config", "--config", "nope.json"}, {}, dir.path());
    CHECK(r.status == 1);
    CHECK(r.err ==
          "nope.json: cannot read config file: No such file or directory\n"
          "nope.json: 1 problem found\n");
}

TEST_CASE("variables come from the environment first, then from .env beside the config") {
    TempDir dir;
    dir.write("conf/.env", "GREETING=from dotenv\nexport PREFIX=/dotenv\n");
    std::string text = fill(withPlugins(R"({"echo": {"greeting": "${GREETING}",
                                                     "prefix": "${PREFIX:-/default}"}})"),
                            dir);
    text.insert(1, "\"listen\": {\"address\": \"127.0.0.1\", \"port\": 0}, ");
    dir.write("conf/portico.json", text);
    Process p({porticoBin(), "serve", "--config", "conf/portico.json"}, {{"PREFIX", "/env"}},
              dir.path());
    REQUIRE(p.waitForOutput("portico listening on"));
    std::string out = p.out();
    int port = std::stoi(out.substr(out.find("listening on http://127.0.0.1:") + 30));
    CHECK(request(port, "GET", "/env").body == "from dotenv from echo");
    CHECK(request(port, "GET", "/dotenv").status == 404);
    p.signal(SIGTERM);
    CHECK(p.wait() == 0);
}
