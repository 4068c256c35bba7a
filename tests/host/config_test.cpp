#include "config.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "dotenv.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using portico::host::Config;
using portico::host::ConfigLoadError;
using portico::host::ConfigProblem;
using portico::host::hostSchema;
using portico::host::loadConfig;
using portico::host::pluginEntrySchema;
using portico::host::validatePluginBlock;

namespace {

// A fresh temporary directory that is also the working directory while it lives, so configs
// are loaded by the relative name "portico.json" and expected messages are exact literals.
class TempDir {
public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "portico-config-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path_ = fs::canonical(pattern);
        previous_ = fs::current_path();
        fs::current_path(path_);
    }
    ~TempDir() {
        std::error_code ignored;
        fs::current_path(previous_, ignored);
        fs::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    void write(const std::string& name, const std::string& text) const {
        const fs::path file = path_ / name;
        fs::create_directories(file.parent_path());
        std::ofstream(file, std::ios::binary) << text;
    }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
    fs::path previous_;
};

class ScopedEnv {
public:
    ScopedEnv(const char* name, const char* value) : name_(name) { ::setenv(name, value, 1); }
    ~ScopedEnv() { ::unsetenv(name_); }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    const char* name_;
};

std::vector<std::string> problemLines(const std::string& path) {
    try {
        loadConfig(path);
    } catch (const ConfigLoadError& error) {
        std::vector<std::string> lines;
        for (const auto& problem : error.problems()) lines.push_back(problem.str());
        return lines;
    }
    return {};
}

Config load(const TempDir& dir, const std::string& text) {
    dir.write("portico.json", text);
    return loadConfig("portico.json");
}

}  // namespace

TEST_CASE("a config problem prints file, line and column or file and json path") {
    struct Case {
        ConfigProblem problem;
        const char* expected;
    };
    const std::vector<Case> cases = {
        {{"portico.json", "", "syntax error: unexpected '}'", 3, 7},
         "portico.json:3:7: syntax error: unexpected '}'"},
        {{".env", "", "expected KEY=VALUE, got \"oops\"", 2, 0},
         ".env:2: expected KEY=VALUE, got \"oops\""},
        {{"portico.json", "listen.port", "must be at most 65535, got 70000", 0, 0},
         "portico.json: listen.port: must be at most 65535, got 70000"},
        {{"portico.json", "", "missing required key 'site'", 0, 0},
         "portico.json: missing required key 'site'"},
        {{"", "plugins.hello", "must not be empty", 0, 0}, "plugins.hello: must not be empty"},
    };
    for (const auto& c : cases) {
        CHECK(c.problem.str() == c.expected);
    }
}

TEST_CASE("a config load error carries every problem and prints one per line") {
    const ConfigLoadError error({{"a.json", "x", "must not be empty", 0, 0},
                                 {"a.json", "", "missing required key 'site'", 0, 0}});
    CHECK(error.problems().size() == 2);
    CHECK(std::string(error.what()) ==
          "a.json: x: must not be empty\na.json: missing required key 'site'");
}

TEST_CASE("broken configs are rejected with exact problem lines") {
    struct Case {
        const char* text;
        std::vector<std::string> expected;
    };
    const std::vector<Case> cases = {
        // syntax
        {"{\n  \"site\": {\"base_url\": \"https://a.example\"},\n}",
         {"portico.json:3:1: syntax error: unexpected '}'; expected string literal"}},
        {"",
         {"portico.json:1:1: syntax error: unexpected end of input; expected '[', '{', or a "
          "literal"}},
        {"{\"site\": {\"base_url\": \"https://a.example\"}}}",
         {"portico.json:1:44: syntax error: unexpected '}'; expected end of input"}},
        // The column is that of the last character of the unexpected token.
        {"{\n  // comment\n  \"listen\": {\"port\": 80 \"address\": \"x\"}\n}",
         {"portico.json:3:33: syntax error: unexpected string literal; expected '}'"}},
        // shape
        {R"([])", {"portico.json: expected object, got array"}},
        {R"({})", {"portico.json: missing required key 'site'"}},
        {R"({"site": {}})", {"portico.json: site: missing required key 'base_url'"}},
        {R"({"site": {"base_url": "https://a.example"}, "plugin": {}})",
         {"portico.json: unknown key 'plugin'; did you mean 'plugins'?"}},
        {R"({"site": {"base_url": "https://a.example"}, "xyz": 1})",
         {"portico.json: unknown key 'xyz'; allowed keys: $schema, admin, data_dir, database, "
          "listen, log, plugin_dirs, plugins, server, site"}},
        {R"({"$schema": 1, "site": {"base_url": "https://a.example"}})",
         {"portico.json: $schema: expected string, got number 1"}},
        // listen
        {R"({"site": {"base_url": "https://a.example"}, "listen": {"port": 70000}})",
         {"portico.json: listen.port: must be at most 65535, got 70000"}},
        {R"({"site": {"base_url": "https://a.example"}, "listen": {"port": -1}})",
         {"portico.json: listen.port: must be at least 0, got -1"}},
        {R"({"site": {"base_url": "https://a.example"}, "listen": {"port": "8080"}})",
         {"portico.json: listen.port: expected integer, got string \"8080\""}},
        {R"({"site": {"base_url": "https://a.example"}, "listen": {"port": 80.5}})",
         {"portico.json: listen.port: expected integer, got number 80.5"}},
        {R"({"site": {"base_url": "https://a.example"}, "listen": {"prot": 80}})",
         {"portico.json: listen: unknown key 'prot'; did you mean 'port'?"}},
        {R"({"site": {"base_url": "https://a.example"}, "listen": 8080})",
         {"portico.json: listen: expected object, got number 8080"}},
        // data_dir, log
        {R"({"site": {"base_url": "https://a.example"}, "data_dir": ""})",
         {"portico.json: data_dir: must not be empty"}},
        {R"({"site": {"base_url": "https://a.example"}, "log": {"level": "verbose"}})",
         {"portico.json: log.level: must be one of \"trace\", \"debug\", \"info\", \"warn\", "
          "\"error\", \"critical\", \"off\"; got \"verbose\""}},
        {R"({"site": {"base_url": "https://a.example"}, "log": {"format": "xml"}})",
         {"portico.json: log.format: must be one of \"text\", \"json\"; got \"xml\""}},
        {R"({"site": {"base_url": "https://a.example"}, "log": {"max_size_mb": 0}})",
         {"portico.json: log.max_size_mb: must be at least 1, got 0"}},
        {R"({"site": {"base_url": "https://a.example"}, "log": {"max_files": 101}})",
         {"portico.json: log.max_files: must be at most 100, got 101"}},
        {R"({"site": {"base_url": "https://a.example"}, "log": {"access_log": "yes"}})",
         {"portico.json: log.access_log: expected boolean, got string \"yes\""}},
        {R"({"site": {"base_url": "https://a.example"}, "log": {"levle": "info"}})",
         {"portico.json: log: unknown key 'levle'; did you mean 'level'?"}},
        // server
        {R"({"site": {"base_url": "https://a.example"}, "server": {"threads": 0}})",
         {"portico.json: server.threads: must be at least 1, got 0"}},
        {R"({"site": {"base_url": "https://a.example"}, "server": {"max_header_bytes": 10}})",
         {"portico.json: server.max_header_bytes: must be at least 1024, got 10"}},
        {R"({"site": {"base_url": "https://a.example"}, "server": {"treads": 4}})",
         {"portico.json: server: unknown key 'treads'; did you mean 'threads'?"}},
        {R"({"site": {"base_url": "https://a.example"}, "server": {"max_body_bytes": -1}})",
         {"portico.json: server.max_body_bytes: must be at least 0, got -1"}},
        // site
        {R"({"site": {"base_url": "ftp://a.example"}})",
         {"portico.json: site.base_url: must start with http:// or https://, got "
          "\"ftp://a.example\""}},
        {R"({"site": {"base_url": "https://"}})",
         {"portico.json: site.base_url: must name a host after the scheme, got \"https://\""}},
        {R"({"site": {"base_url": 5}})",
         {"portico.json: site.base_url: expected string, got number 5"}},
        {R"({"site": {"base_url": "https://a.example", "locales": []}})",
         {"portico.json: site.locales: must have at least 1 item"}},
        {R"({"site": {"base_url": "https://a.example", "locales": ["de", ""]}})",
         {"portico.json: site.locales[1]: must not be empty"}},
        {R"({"site": {"base_url": "https://a.example", "locales": ["de", "en", "de"]}})",
         {"portico.json: site.locales[2]: duplicate locale \"de\""}},
        {R"({"site": {"base_url": "https://a.example", "locales": ["de", "en"],
                      "default_locale": "fr"}})",
         {"portico.json: site.default_locale: must be one of \"de\", \"en\"; got \"fr\""}},
        {R"({"site": {"base_url": "https://a.example", "hosts": "a.example"}})",
         {"portico.json: site.hosts: expected array, got string \"a.example\""}},
        {R"({"site": {"base_url": "https://a.example", "host": ["a.example"]}})",
         {"portico.json: site: unknown key 'host'; did you mean 'hosts'?"}},
        // plugin_dirs, plugins
        {R"({"site": {"base_url": "https://a.example"}, "plugin_dirs": [1]})",
         {"portico.json: plugin_dirs[0]: expected string, got number 1"}},
        {R"({"site": {"base_url": "https://a.example"}, "plugins": []})",
         {"portico.json: plugins: expected object, got array"}},
        {R"({"site": {"base_url": "https://a.example"}, "plugins": {"hello": 5}})",
         {"portico.json: plugins.hello: expected object, got number 5"}},
        {R"({"site": {"base_url": "https://a.example"}, "plugins": {"Hello": {}}})",
         {"portico.json: plugins: plugin id must match ^[a-z][a-z0-9_]*$, got \"Hello\""}},
        {R"({"site": {"base_url": "https://a.example"}, "plugins": {"hello": {"enabled": "no"}}})",
         {"portico.json: plugins.hello.enabled: expected boolean, got string \"no\""}},
        {R"({"site": {"base_url": "https://a.example"},
             "plugins": {"hello": {"log_level": "loud"}}})",
         {"portico.json: plugins.hello.log_level: must be one of \"trace\", \"debug\", \"info\", "
          "\"warn\", \"error\", \"critical\", \"off\"; got \"loud\""}},
        // substitution
        {R"({"site": {"base_url": "https://a.example"}, "data_dir": "${PORTICO_TEST_UNSET}"})",
         {"portico.json: data_dir: environment variable 'PORTICO_TEST_UNSET' is not set and has "
          "no default"}},
        {R"({"site": {"base_url": "https://a.example"},
             "listen": {"port": "${PORTICO_TEST_UNSET}"}})",
         {"portico.json: listen.port: environment variable 'PORTICO_TEST_UNSET' is not set and "
          "has no default"}},
        {R"({"site": {"base_url": "https://a.example", "hosts": ["a", "${PORTICO_TEST_UNSET}"]}})",
         {"portico.json: site.hosts[1]: environment variable 'PORTICO_TEST_UNSET' is not set and "
          "has no default"}},
        {R"({"site": {"base_url": "https://a.example"}, "data_dir": "${BAD-NAME}"})",
         {"portico.json: data_dir: invalid variable reference \"${BAD-NAME}\"; expected ${NAME} "
          "or ${NAME:-default}"}},
        {R"({"site": {"base_url": "https://a.example"}, "data_dir": "${}"})",
         {"portico.json: data_dir: invalid variable reference \"${}\"; expected ${NAME} or "
          "${NAME:-default}"}},
        {R"({"site": {"base_url": "https://a.example"}, "data_dir": "/srv/${HOME"})",
         {"portico.json: data_dir: unterminated variable reference \"${HOME\"; expected '}'"}},
        {R"({"site": {"base_url": "https://a.example"},
             "listen": {"port": "${PORTICO_TEST_WORD}"}})",
         {"portico.json: listen.port: expected integer, got string \"abc\""}},
        {R"({"site": {"base_url": "https://a.example"},
             "listen": {"port": "${PORTICO_TEST_BIG}"}})",
         {"portico.json: listen.port: must be at most 65535, got 99999"}},
    };

    TempDir dir;
    const ScopedEnv word("PORTICO_TEST_WORD", "abc");
    const ScopedEnv big("PORTICO_TEST_BIG", "99999");
    ::unsetenv("PORTICO_TEST_UNSET");
    for (const auto& c : cases) {
        INFO(c.text);
        dir.write("portico.json", c.text);
        CHECK(problemLines("portico.json") == c.expected);
    }
}

TEST_CASE("every problem in a config is reported in one error") {
    TempDir dir;
    dir.write("portico.json", R"({
        "listen": {"port": -1, "adress": "::"},
        "log": {"level": "loud"},
        "server": {"threads": "4"},
        "site": {"base_url": "example.com", "locales": ["de", "de"]},
        "data_dir": "${PORTICO_TEST_UNSET}",
        "plugins": {"hello": 1, "Bad": {}}
    })");
    ::unsetenv("PORTICO_TEST_UNSET");
    CHECK(problemLines("portico.json") ==
          std::vector<std::string>{
              "portico.json: data_dir: environment variable 'PORTICO_TEST_UNSET' is not set and "
              "has no default",
              "portico.json: listen: unknown key 'adress'; did you mean 'address'?",
              "portico.json: listen.port: must be at least 0, got -1",
              "portico.json: log.level: must be one of \"trace\", \"debug\", \"info\", \"warn\", "
              "\"error\", \"critical\", \"off\"; got \"loud\"",
              "portico.json: plugins.hello: expected object, got number 1",
              "portico.json: server.threads: expected integer, got string \"4\"",
              "portico.json: site.base_url: must start with http:// or https://, got "
              "\"example.com\"",
              "portico.json: site.locales[1]: duplicate locale \"de\"",
              "portico.json: plugins: plugin id must match ^[a-z][a-z0-9_]*$, got \"Bad\"",
          });
}

TEST_CASE("an unreadable config file is one problem without a path") {
    TempDir dir;
    CHECK(problemLines("missing.json") ==
          std::vector<std::string>{"missing.json: cannot read config file: No such file or "
                                   "directory"});
    fs::create_directory(dir.path() / "conf.json");
    CHECK(problemLines("conf.json") ==
          std::vector<std::string>{"conf.json: cannot read config file: Is a directory"});
}

TEST_CASE("a minimal config gets every default") {
    TempDir dir;
    const Config config = load(dir, R"({"site": {"base_url": "https://a.example"}})");
    const std::string root = dir.path().string();

    CHECK(config.file == "portico.json");
    CHECK(config.directory == root);
    CHECK(config.listen.address == "0.0.0.0");
    CHECK(config.listen.port == 8080);
    CHECK(config.log.level == "info");
    CHECK(config.log.format == "text");
    CHECK(config.log.file.empty());
    CHECK(config.log.max_size_bytes == 10u * 1024 * 1024);
    CHECK(config.log.max_files == 3);
    CHECK(config.log.access_log);

    // The defaults the schema declares (host_schema.cpp), the only place they are written.
    CHECK(config.admin.enabled);
    CHECK(config.admin.listen.address == "127.0.0.1");
    CHECK(config.admin.listen.port == 9100);
    CHECK(config.server.threads == 16);
    CHECK(config.server.io_threads == 0);
    CHECK_FALSE(config.server.inline_handlers);
    CHECK(config.server.max_queued == 256);
    CHECK(config.server.max_connections == 0);
    CHECK(config.server.max_connections_per_client == 256);
    CHECK(config.server.keep_alive_timeout_ms == 5000);
    CHECK(config.server.max_keep_alive_requests == 1000);
    CHECK(config.server.header_timeout_ms == 10000);
    CHECK(config.server.body_timeout_ms == 30000);
    CHECK(config.server.send_timeout_ms == 30000);
    CHECK(config.server.max_body_bytes == 1024 * 1024);
    CHECK(config.server.max_header_bytes == 16 * 1024);
    CHECK(config.server.max_header_count == 100);
    CHECK(config.server.max_uri_bytes == 8 * 1024);
    CHECK(config.server.shutdown_timeout_ms == 8000);
    CHECK(config.server.drain_delay_ms == 0);
    CHECK(config.server.trusted_proxies.empty());
    CHECK(config.database.url.empty());
    CHECK(config.database.pool_min == 1);
    CHECK(config.database.pool_max == 16);
    CHECK(config.database.busy_timeout_ms == 5000);
    CHECK(config.virtual_hosts.unknown_hosts == "serve");
    CHECK_FALSE(config.virtual_hosts.redirect_www);

    CHECK(config.site.base_url == "https://a.example");
    CHECK(config.site.hosts == std::vector<std::string>{"localhost"});
    CHECK(config.site.locales == std::vector<std::string>{"en"});
    CHECK(config.site.default_locale == "en");
    CHECK(config.site.data_dir == root + "/data");
    CHECK(config.site.config_dir == root);
    CHECK(config.plugin_dirs.empty());
    CHECK(config.plugins.empty());
}

TEST_CASE("loading a config creates no directories") {
    TempDir dir;
    load(dir, R"({"site": {"base_url": "https://a.example"}, "data_dir": "state/db",
                  "log": {"file": "logs/portico.log"}})");
    CHECK_FALSE(fs::exists(dir.path() / "state"));
    CHECK_FALSE(fs::exists(dir.path() / "logs"));
}

TEST_CASE("a full config with comments is read into the typed config") {
    TempDir dir;
    const Config config = load(dir, R"({
        "$schema": "./portico.schema.json",
        // where to listen
        "listen": {"address": "127.0.0.1", "port": 9000},
        "data_dir": "/var/lib/portico",
        /* logging */
        "log": {"level": "debug", "format": "json", "file": "logs/portico.log",
                "max_size_mb": 5, "max_files": 7, "access_log": false},
        "server": {"threads": 4, "max_queued": 10, "max_connections": 50,
                   "keep_alive_timeout_ms": 0, "max_keep_alive_requests": 5,
                   "header_timeout_ms": 1000, "body_timeout_ms": 2000, "send_timeout_ms": 3000,
                   "max_body_bytes": 5000000000, "max_header_bytes": 2048,
                   "max_header_count": 20, "max_uri_bytes": 512, "shutdown_timeout_ms": 100,
                   "drain_delay_ms": 250},
        "site": {"base_url": "https://www.example.com/",
                 "hosts": ["example.com", "www.example.com"],
                 "locales": ["de", "en"], "default_locale": "en"},
        "plugin_dirs": ["plugins", "/opt/portico/plugins/"],
        "plugins": {}
    })");
    const std::string root = dir.path().string();
    CHECK(config.listen.address == "127.0.0.1");
    CHECK(config.listen.port == 9000);
    CHECK(config.site.data_dir == "/var/lib/portico");
    CHECK(config.log.level == "debug");
    CHECK(config.log.format == "json");
    CHECK(config.log.file == root + "/logs/portico.log");
    CHECK(config.log.max_size_bytes == 5u * 1024 * 1024);
    CHECK(config.log.max_files == 7);
    CHECK_FALSE(config.log.access_log);
    CHECK(config.server.threads == 4);
    CHECK(config.server.max_queued == 10);
    CHECK(config.server.max_connections == 50);
    CHECK(config.server.keep_alive_timeout_ms == 0);
    CHECK(config.server.max_keep_alive_requests == 5);
    CHECK(config.server.header_timeout_ms == 1000);
    CHECK(config.server.body_timeout_ms == 2000);
    CHECK(config.server.send_timeout_ms == 3000);
    CHECK(config.server.max_body_bytes == 5000000000u);
    CHECK(config.server.max_header_bytes == 2048);
    CHECK(config.server.max_header_count == 20);
    CHECK(config.server.max_uri_bytes == 512);
    CHECK(config.server.shutdown_timeout_ms == 100);
    CHECK(config.server.drain_delay_ms == 250);
    CHECK(config.site.base_url == "https://www.example.com");
    CHECK(config.site.hosts == std::vector<std::string>{"example.com", "www.example.com"});
    CHECK(config.site.locales == std::vector<std::string>{"de", "en"});
    CHECK(config.site.default_locale == "en");
    CHECK(config.plugin_dirs ==
          std::vector<std::string>{root + "/plugins", "/opt/portico/plugins"});
}

TEST_CASE("the default locale is the first locale when not given") {
    TempDir dir;
    const Config config =
        load(dir, R"({"site": {"base_url": "http://a.example", "locales": ["de", "en"]}})");
    CHECK(config.site.default_locale == "de");
}

TEST_CASE("listen port 0 is accepted so the system picks a free port") {
    TempDir dir;
    const Config config =
        load(dir, R"({"site": {"base_url": "https://a.example"}, "listen": {"port": 0}})");
    CHECK(config.listen.port == 0);
}

TEST_CASE("paths resolve against the working directory, config_dir against the file") {
    TempDir dir;
    dir.write("conf/portico.json",
              R"({"site": {"base_url": "https://a.example"}, "data_dir": "./var/../data"})");
    const Config config = loadConfig("conf/portico.json");
    CHECK(config.directory == dir.path().string() + "/conf");
    CHECK(config.site.config_dir == dir.path().string() + "/conf");
    CHECK(config.site.data_dir == dir.path().string() + "/data");
}

TEST_CASE("variables are substituted in string values, arrays and nested objects") {
    TempDir dir;
    const ScopedEnv host("PORTICO_TEST_HOST", "example.org");
    const ScopedEnv port("PORTICO_TEST_PORT", "9090");
    const ScopedEnv empty("PORTICO_TEST_EMPTY", "");
    ::unsetenv("PORTICO_TEST_UNSET");
    const Config config = load(dir, R"({
        "listen": {"port": "${PORTICO_TEST_PORT}",
                   "address": "${PORTICO_TEST_UNSET:-127.0.0.1}"},
        "data_dir": "/srv/${PORTICO_TEST_EMPTY:-fallback}/$${HOME}/${PORTICO_TEST_EMPTY}x",
        "log": {"max_files": "${PORTICO_TEST_UNSET:-4}",
                "access_log": "${PORTICO_TEST_UNSET:-false}"},
        "site": {"base_url": "https://${PORTICO_TEST_HOST}",
                 "hosts": ["${PORTICO_TEST_HOST}", "www.${PORTICO_TEST_HOST}"]},
        "plugins": {"hello": {"${PORTICO_TEST_HOST}": {"nested": ["${PORTICO_TEST_PORT}"]}}}
    })");
    CHECK(config.listen.port == 9090);
    CHECK(config.listen.address == "127.0.0.1");
    CHECK(config.site.data_dir == "/srv/fallback/${HOME}/x");
    CHECK(config.log.max_files == 4);
    CHECK_FALSE(config.log.access_log);
    CHECK(config.site.base_url == "https://example.org");
    CHECK(config.site.hosts == std::vector<std::string>{"example.org", "www.example.org"});
    REQUIRE(config.plugins.size() == 1);
    CHECK(config.plugins[0].settings ==
          json::parse(R"({"${PORTICO_TEST_HOST}": {"nested": ["9090"]}})"));
    CHECK(config.plugins[0].substituted == std::set<std::string>{"/${PORTICO_TEST_HOST}/nested/0"});
}

TEST_CASE("variables come from the environment first, then from .env beside the config") {
    TempDir dir;
    dir.write("conf/.env",
              "# local settings\n"
              "export PORTICO_TEST_PORT=7000\n"
              "PORTICO_TEST_HOST='dotenv.example'\n");
    dir.write("conf/portico.json", R"({
        "listen": {"port": "${PORTICO_TEST_PORT}"},
        "site": {"base_url": "https://${PORTICO_TEST_HOST}"}
    })");
    ::unsetenv("PORTICO_TEST_PORT");
    ::unsetenv("PORTICO_TEST_HOST");
    SECTION("from .env when the environment does not set them") {
        const Config config = loadConfig("conf/portico.json");
        CHECK(config.listen.port == 7000);
        CHECK(config.site.base_url == "https://dotenv.example");
    }
    SECTION("the environment wins over .env") {
        const ScopedEnv port("PORTICO_TEST_PORT", "7100");
        const Config config = loadConfig("conf/portico.json");
        CHECK(config.listen.port == 7100);
        CHECK(config.site.base_url == "https://dotenv.example");
    }
}

TEST_CASE("a malformed .env line is a problem with file and line") {
    TempDir dir;
    dir.write(".env", "A=1\noops\nB-C=2\nD=\"open\n");
    dir.write("portico.json", R"({"site": {"base_url": "https://a.example"}})");
    CHECK(problemLines("portico.json") ==
          std::vector<std::string>{
              ".env:2: expected KEY=VALUE, got \"oops\"",
              ".env:3: invalid variable name \"B-C\"; names are letters, digits and "
              "underscores, not starting with a digit",
              ".env:4: unterminated double-quoted value for D",
          });
}

TEST_CASE("a .env that cannot be read is a problem") {
    TempDir dir;
    fs::create_directory(dir.path() / ".env");
    dir.write("portico.json", R"({"site": {"base_url": "https://a.example"}})");
    CHECK(problemLines("portico.json") ==
          std::vector<std::string>{".env: cannot read .env file: Is a directory"});
}

TEST_CASE("plugin blocks keep file order and split host keys from settings") {
    TempDir dir;
    const ScopedEnv enabled("PORTICO_TEST_ENABLED", "false");
    const ScopedEnv count("PORTICO_TEST_COUNT", "3");
    const Config config = load(dir, R"({
        "site": {"base_url": "https://a.example"},
        "plugins": {
            "zeta": {"greeting": "hi", "count": "${PORTICO_TEST_COUNT}"},
            "alpha": {"enabled": "${PORTICO_TEST_ENABLED}", "required": false,
                      "log_level": "debug"},
            "mid_2": {}
        }
    })");
    REQUIRE(config.plugins.size() == 3);
    CHECK(config.plugins[0].id == "zeta");
    CHECK(config.plugins[1].id == "alpha");
    CHECK(config.plugins[2].id == "mid_2");

    CHECK(config.plugins[0].enabled);
    CHECK(config.plugins[0].required);
    CHECK(config.plugins[0].log_level.empty());
    CHECK(config.plugins[0].settings == json::parse(R"({"greeting": "hi", "count": "3"})"));
    CHECK(config.plugins[0].substituted == std::set<std::string>{"/count"});

    CHECK_FALSE(config.plugins[1].enabled);
    CHECK_FALSE(config.plugins[1].required);
    CHECK(config.plugins[1].log_level == "debug");
    CHECK(config.plugins[1].settings == json::object());
    CHECK(config.plugins[1].substituted.empty());

    CHECK(config.plugins[2].settings == json::object());
}

TEST_CASE("a plugin block is validated against the plugin's schema") {
    const json schema = json::parse(R"({
        "type": "object",
        "required": ["greeting"],
        "properties": {
            "greeting": {"type": "string", "minLength": 1},
            "count": {"type": "integer", "minimum": 1, "default": 1}
        }
    })");
    TempDir dir;
    const ScopedEnv count("PORTICO_TEST_COUNT", "5");

    struct Case {
        const char* block;
        std::vector<std::string> expected;
    };
    const std::vector<Case> cases = {
        {R"({"greeting": "hi"})", {}},
        {R"({"greeting": "hi", "count": "${PORTICO_TEST_COUNT}"})", {}},
        {R"({"greeting": "hi", "count": "5"})",
         {"portico.json: plugins.hello.count: expected integer, got string \"5\""}},
        {R"({"greeting": ""})", {"portico.json: plugins.hello.greeting: must not be empty"}},
        {R"({"count": 0})",
         {"portico.json: plugins.hello.count: must be at least 1, got 0",
          "portico.json: plugins.hello: missing required key 'greeting'"}},
        {R"({"greeting": "hi", "greting": "x"})",
         {"portico.json: plugins.hello: unknown key 'greting'; did you mean 'greeting'?"}},
        {R"({"greeting": "hi", "enabeld": false})",
         {"portico.json: plugins.hello: unknown key 'enabeld'; did you mean 'enabled'?"}},
        {R"({"greeting": "hi", "colour": "red"})",
         {"portico.json: plugins.hello: unknown key 'colour'; allowed keys: count, enabled, "
          "greeting, log_level, required"}},
    };
    for (const auto& c : cases) {
        INFO(c.block);
        dir.write(
            "portico.json",
            std::string(R"({"site": {"base_url": "https://a.example"}, "plugins": {"hello": )") +
                c.block + "}}");
        Config config = loadConfig("portico.json");
        REQUIRE(config.plugins.size() == 1);
        std::vector<std::string> lines;
        for (const auto& problem : validatePluginBlock(config, config.plugins[0], schema)) {
            lines.push_back(problem.str());
        }
        CHECK(lines == c.expected);
    }
}

TEST_CASE("validating a plugin block fills in the plugin's defaults") {
    TempDir dir;
    const ScopedEnv count("PORTICO_TEST_COUNT", "5");
    Config config = load(dir, R"({"site": {"base_url": "https://a.example"},
        "plugins": {"hello": {"enabled": false, "greeting": "hi",
                              "size": "${PORTICO_TEST_COUNT}"}}})");
    const json schema = json::parse(R"({
        "type": "object",
        "properties": {
            "greeting": {"type": "string"},
            "size": {"type": "integer"},
            "count": {"type": "integer", "default": 1}
        }
    })");
    CHECK(validatePluginBlock(config, config.plugins[0], schema).empty());
    CHECK(config.plugins[0].settings ==
          json::parse(R"({"greeting": "hi", "size": 5, "count": 1})"));
}

TEST_CASE("every key of the host schema is documented") {
    std::vector<std::string> undocumented;
    std::function<void(const json&, const std::string&)> visit = [&](const json& schema,
                                                                     const std::string& path) {
        if (!schema.contains("description") || schema["description"].get<std::string>().empty()) {
            undocumented.push_back(path);
        }
        if (schema.contains("properties")) {
            for (const auto& [key, sub] : schema["properties"].items()) {
                visit(sub, path.empty() ? key : path + "." + key);
            }
        }
        if (schema.contains("additionalProperties") && schema["additionalProperties"].is_object()) {
            visit(schema["additionalProperties"], path + ".*");
        }
    };
    visit(hostSchema(), "");
    visit(pluginEntrySchema(), "plugins.*");
    CHECK(undocumented.empty());
}
