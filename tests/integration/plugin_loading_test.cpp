#include <catch2/catch.hpp>
#include <filesystem>

#include "harness.hpp"

using namespace portico::tests;

namespace {

// A config whose plugin_dirs holds only the given broken plugin's folder.
std::string badConfig(const TempDir& dir, const std::string& id, bool required = true) {
    std::string config =
        testConfig(dir, "{\"" + id + "\": {\"required\": " + (required ? "true" : "false") + "}}");
    auto from = config.find("\"plugin_dirs\"");
    auto to = config.find('\n', from);
    return config.replace(from, to - from,
                          "\"plugin_dirs\": [\"" + badDir(id) + "\", \"" + fixtureDir() + "\"],");
}

}  // namespace

TEST_CASE("a broken plugin file is refused with the file and every field that differs") {
    struct Case {
        std::string id;
        std::vector<std::string> expected;
    };
    const std::vector<Case> cases = {
        {"wrong_abi", {"wrong_abi.so: cannot load plugin", "abi_major: plugin 99, host 2"}},
        {"wrong_fingerprint",
         {"wrong_fingerprint.so: cannot load plugin", "compiler: plugin \"gcc 3\", host \"gcc ",
          "poco_version: plugin \"0x01090000\", host \"0x010B0000\""}},
        {"entry_throws", {"entry_throws.so: cannot load plugin", "entry refuses to run"}},
        {"no_entry",
         {"no_entry.so: cannot load plugin", "entry symbol 'portico_plugin_entry' not found"}},
        {"not_a_library", {"not_a_library.so: cannot load plugin", "not a shared library"}},
        {"no_create",
         {"no_create.so: cannot load plugin",
          "record is incomplete (no id, create or destroy function)"}},
    };
    for (const auto& c : cases) {
        DYNAMIC_SECTION(c.id) {
            TempDir dir;
            auto file = dir.write("portico.json", badConfig(dir, c.id));
            auto r = runPortico({"check-config", "--config", file});
            CHECK(r.status == 1);
            for (const auto& text : c.expected) {
                INFO(r.err);
                CHECK(r.err.find(text) != std::string::npos);
            }
            CHECK(r.err.find(file + ": plugins." + c.id + ": ") == 0);
            CHECK(r.err.find(file + ": 1 problem found\n") != std::string::npos);
            auto serve = runPortico({"serve", "--config", file});
            CHECK(serve.status == 1);
            CHECK(serve.out.find("listening") == std::string::npos);
        }
    }
}

TEST_CASE("an optional plugin that cannot load is skipped and the host reports degraded") {
    TempDir dir;
    std::string config = badConfig(dir, "wrong_abi", false);
    config.replace(config.find("\"plugins\": {"), 12, "\"plugins\": {\"echo\": {}, ");
    Server server(config);
    auto out = server.process().out();
    CHECK(out.find("degraded: plugins.wrong_abi: ") != std::string::npos);
    CHECK(out.find("(optional plugin skipped)") != std::string::npos);
    CHECK(out.find("(degraded)") != std::string::npos);
    CHECK(request(server.port(), "GET", "/fixture").body == "hello from echo");
}

TEST_CASE("dependencies are sorted, cycles named, unknown ones refused with a hint") {
    TempDir dir;
    SECTION("the resolved order puts dependencies first and is logged at start") {
        Server server(testConfig(dir, R"({
            "beta": {"prefix": "/b"}, "alpha": {"prefix": "/a"}, "echo": {}})"));
        CHECK(server.process().out().find("plugin order: echo -> alpha -> beta") !=
              std::string::npos);
    }
    SECTION("a cycle is named in order") {
        auto file = dir.write("portico.json", testConfig(dir, R"({
            "cyc_a": {"prefix": "/a"}, "cyc_b": {"prefix": "/b"}, "cyc_c": {"prefix": "/c"}})"));
        auto r = runPortico({"check-config", "--config", file});
        CHECK(r.status == 1);
        CHECK(r.err == file + ": plugins: dependency cycle: cyc_a -> cyc_b -> cyc_c -> cyc_a\n" +
                           file + ": 1 problem found\n");
    }
    SECTION("an unknown dependency") {
        auto file = dir.write("portico.json", testConfig(dir, R"({"needs_ghost": {}})"));
        auto r = runPortico({"check-config", "--config", file});
        CHECK(r.status == 1);
        CHECK(r.err == file + ": plugins.needs_ghost: unknown dependency 'ghost'\n" + file +
                           ": 1 problem found\n");
    }
    SECTION("a dependency that is known but not listed or disabled") {
        auto file = dir.write("portico.json", testConfig(dir, R"({
            "alpha": {}, "beta": {"prefix": "/b"}, "echo": {"enabled": false}})"));
        auto r = runPortico({"check-config", "--config", file});
        CHECK(r.status == 1);
        CHECK(r.err.find(file + ": plugins.alpha: depends on 'echo', which is disabled\n") == 0);
    }
}

TEST_CASE("an unknown plugin id is refused with a did-you-mean hint") {
    TempDir dir;
    auto file = dir.write("portico.json", testConfig(dir, R"({"ecoh": {}})"));
    auto r = runPortico({"check-config", "--config", file});
    CHECK(r.status == 1);
    CHECK(r.err.find(file + ": plugins.ecoh: unknown plugin 'ecoh'; did you mean 'echo'?") == 0);
}

TEST_CASE("two plugin files with one id are refused naming both") {
    TempDir dir;
    std::string config = testConfig(dir, R"({"echo": {}})");
    auto from = config.find("\"plugin_dirs\"");
    auto to = config.find('\n', from);
    config.replace(from, to - from,
                   "\"plugin_dirs\": [\"" + fixtureDir() + "\", \"" + dir.path() + "/more\"],");
    std::filesystem::create_directories(dir.path() + "/more");
    std::filesystem::copy_file(fixtureDir() + "/echo.so", dir.path() + "/more/echo.so");
    auto file = dir.write("portico.json", config);
    auto r = runPortico({"check-config", "--config", file});
    CHECK(r.status == 1);
    CHECK(r.err.find(file + ": plugin_dirs: duplicate plugin id 'echo': " + fixtureDir() +
                     "/echo.so and " + dir.path() + "/more/echo.so") == 0);
}

TEST_CASE("a plugin whose configure fails reports every error with its JSON path") {
    TempDir dir;
    auto file = dir.write("portico.json", testConfig(dir, R"({"echo": {"fail_configure": true}})"));
    auto r = runPortico({"check-config", "--config", file});
    CHECK(r.status == 1);
    CHECK(r.err == file + ": plugins.echo.fail_configure: asked to fail\n" + file +
                       ": plugins.echo.greeting: also wrong, to show all errors are collected\n" +
                       file + ": 2 problems found\n");
}

TEST_CASE("a plugin whose start throws stops the others cleanly, in reverse order") {
    TempDir dir;
    std::string log = dir.path() + "/stops.txt";
    auto config = testConfig(
        dir, R"({"echo": {"stop_log": ")" + log + R"("}, "alpha": {"prefix": "/a", "stop_log": ")" +
                 log + R"("}, "beta": {"prefix": "/b", "fail_start": true, "stop_log": ")" + log +
                 R"("}})");
    auto file = dir.write("portico.json", config);
    auto r = runPortico({"serve", "--config", file});
    CHECK(r.status == 1);
    CHECK(r.err.find("plugins.beta: start failed: asked to fail at start") != std::string::npos);
    CHECK(readFile(log) == "beta\nalpha\necho\n");
    CHECK(r.out.find("listening") == std::string::npos);
}

TEST_CASE("a duplicate route is a start-up error naming both plugins") {
    TempDir dir;
    auto file = dir.write("portico.json", testConfig(dir, R"({"echo": {}, "alpha": {}})"));
    auto r = runPortico({"check-config", "--config", file});
    CHECK(r.status == 1);
    CHECK(r.err.find(file + ": plugins.alpha: route GET /fixture is already registered by "
                            "plugin 'echo'\n") == 0);
}

TEST_CASE("validate runs once every plugin is configured, and every problem is still reported") {
    TempDir dir;
    const std::string log = dir.path() + "/calls.txt";
    SECTION("configure all, then validate all, in dependency order") {
        auto file = dir.write(
            "portico.json",
            testConfig(dir, R"({"echo": {"call_log": ")" + log +
                                R"("}, "alpha": {"prefix": "/a", "call_log": ")" + log + R"("}})"));
        auto r = runPortico({"check-config", "--config", file});
        INFO(r.err);
        CHECK(r.status == 0);
        CHECK(readFile(log) == "configure echo\nconfigure alpha\nvalidate echo\nvalidate alpha\n");
    }
    SECTION("a validate problem and a configure problem of two plugins in one run") {
        auto file = dir.write("portico.json", testConfig(dir, R"({
            "echo": {"fail_validate": true}, "gamma": {"prefix": "/g", "fail_configure": true}})"));
        auto r = runPortico({"check-config", "--config", file});
        CHECK(r.status == 1);
        CHECK(r.err == file + ": plugins.gamma.fail_configure: asked to fail\n" + file +
                           ": plugins.gamma.greeting: also wrong, to show all errors are "
                           "collected\n" +
                           file + ": plugins.echo.greeting: validate refuses it\n" + file +
                           ": 3 problems found\n");
    }
}

TEST_CASE("an optional plugin skipped at start contributes no HTML transform") {
    TempDir dir;
    const std::string failing =
        R"("gamma": {"prefix": "/g", "transform": true, "fail_start": true, "required": false})";
    // gamma's transform would add "<!-- gamma -->" before </body>.
    SECTION("when it starts before the plugin that builds the page") {
        Server server(testConfig(dir, "{" + failing + R"(, "echo": {"transform": true}})"));
        CHECK(server.process().out().find("start failed: asked to fail at start (optional "
                                          "plugin skipped)") != std::string::npos);
        auto page = request(server.port(), "GET", "/fixture/page");
        CHECK(page.body.find("<!-- echo -->") != std::string::npos);
        CHECK(page.body.find("<!-- gamma -->") == std::string::npos);
        CHECK(request(server.port(), "GET", "/fixture/dyndoc").body.find("<!-- gamma -->") ==
              std::string::npos);
        CHECK(request(server.port(), "GET", "/g").status == 404);
    }
    SECTION("when the page was built before it failed") {
        Server server(testConfig(dir, R"({"echo": {"transform": true}, )" + failing + "}"));
        CHECK(server.process().out().find("(optional plugin skipped)") != std::string::npos);
        auto page = request(server.port(), "GET", "/fixture/page");
        CHECK(page.body.find("<!-- echo -->") != std::string::npos);
        CHECK(page.body.find("<!-- gamma -->") == std::string::npos);
    }
}

TEST_CASE("plugin_dirs are searched before the installed plugin directory, not instead of it") {
    TempDir dir;
    std::string config = testConfig(dir, R"({"echo": {}, "health": {}})");
    auto from = config.find("\"plugin_dirs\"");
    auto to = config.find('\n', from);
    config.replace(from, to - from, "\"plugin_dirs\": [\"" + fixtureDir() + "\"],");
    auto file = dir.write("portico.json", config);
    auto r = runPortico({"check-config", "--config", file});
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(r.out == file + ": ok (2 plugins: echo, health)\n");
}

TEST_CASE("the fix advice of an ABI refusal matches the field that differs") {
    TempDir dir;
    SECTION("a build fingerprint: build with the host's compiler and libraries") {
        auto file = dir.write("portico.json", badConfig(dir, "wrong_fingerprint"));
        auto r = runPortico({"check-config", "--config", file});
        INFO(r.err);
        CHECK(r.status == 1);
        CHECK(r.err.find("fix: build the plugin with the compiler the host was built with (gcc ") !=
              std::string::npos);
        CHECK(r.err.find("fix: build the plugin against the Poco the host uses (0x010B0000)") !=
              std::string::npos);
        CHECK(r.err.find("rebuild the plugin against this host's SDK") == std::string::npos);
    }
    SECTION("the abi version: rebuild against this host's SDK") {
        auto file = dir.write("portico.json", badConfig(dir, "wrong_abi"));
        auto r = runPortico({"check-config", "--config", file});
        CHECK(r.status == 1);
        CHECK(r.err.find("fix: rebuild the plugin against this host's SDK") != std::string::npos);
    }
}

TEST_CASE("a plugin file that declares an id breaking the id rule is refused naming the rule") {
    TempDir dir;
    auto file = dir.write("portico.json", badConfig(dir, "bad_id"));
    auto r = runPortico({"check-config", "--config", file});
    CHECK(r.status == 1);
    CHECK(r.err.find(file + ": plugins.bad_id: ") == 0);
    CHECK(r.err.find("declares plugin id 'guestbook-lite'") != std::string::npos);
}
