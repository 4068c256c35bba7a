#include <signal.h>
#include <sys/utsname.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "harness.hpp"

using namespace portico::tests;

TEST_CASE("portico version prints the version, ABI and build fingerprint") {
    auto r = runPortico({"version"});
    CHECK(r.status == 0);
    CHECK(r.out.rfind("portico 0.1.0\n", 0) == 0);
    CHECK(r.out.find("plugin abi 2.2\n") != std::string::npos);
    CHECK(r.out.find("poco 0x010B0000") != std::string::npos);
    CHECK(r.out.find("nlohmann_json 3.11.") != std::string::npos);
}

TEST_CASE("portico version names the machine architecture it runs on") {
    struct utsname uts {};
    REQUIRE(uname(&uts) == 0);
    auto r = runPortico({"version"});
    CHECK(r.status == 0);
    CHECK(r.out.find(std::string("\narch ") + uts.machine + "\n") != std::string::npos);
}

TEST_CASE("every command has --help and the overview lists them all") {
    auto overview = runPortico({"--help"});
    CHECK(overview.status == 0);
    for (const char* cmd : {"serve", "check-config", "plugins", "version"}) {
        CHECK(overview.out.find(std::string("  ") + cmd) != std::string::npos);
        auto r = runPortico({cmd, "--help"});
        CHECK(r.status == 0);
        CHECK(r.out.find(std::string("usage: portico ")) == 0);
    }
}

TEST_CASE("an unknown command or option is refused with a hint") {
    auto r = runPortico({"chek-config"});
    CHECK(r.status == 2);
    CHECK(r.err.find("portico: unknown command 'chek-config'; did you mean 'check-config'?") !=
          std::string::npos);
    auto o = runPortico({"check-config", "--confg", "x.json"});
    CHECK(o.status == 2);
    CHECK(o.err.find("unknown option '--confg' for 'check-config'; did you mean '--config'?") !=
          std::string::npos);
    auto v = runPortico({"check-config", "--config"});
    CHECK(v.status == 2);
    CHECK(v.err.find("option --config needs a value") != std::string::npos);
}

TEST_CASE("check-config accepts a valid config, names the plugin order and binds nothing") {
    TempDir dir;
    int port = freePort();
    std::string config = testConfig(dir, R"({"alpha": {}, "echo": {"prefix": "/e"}})");
    config.replace(config.find("\"port\": 0"), 9, "\"port\": " + std::to_string(port));
    auto file = dir.write("portico.json", config);
    auto r = runPortico({"check-config", "--config", file});
    CHECK(r.status == 0);
    CHECK(r.out == file + ": ok (2 plugins: echo, alpha)\n");
    CHECK(r.err.empty());
    CHECK_THROWS(rawExchange(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
}

TEST_CASE("the config file comes from --config, then PORTICO_CONFIG, then config/portico.json") {
    TempDir dir;
    auto file = dir.write("elsewhere.json", testConfig(dir, "{}"));
    auto from_env = runPortico({"check-config"}, {{"PORTICO_CONFIG", file}});
    CHECK(from_env.status == 0);
    CHECK(from_env.out == file + ": ok (0 plugins: none)\n");
    dir.write("config/portico.json", testConfig(dir, R"({"echo": {}})"));
    auto fallback = runPortico({"check-config"}, {}, dir.path());
    CHECK(fallback.status == 0);
    CHECK(fallback.out == "config/portico.json: ok (1 plugin: echo)\n");
}

TEST_CASE("portico plugins lists id, version, ABI, enabled state and summary") {
    TempDir dir;
    auto file =
        dir.write("portico.json", testConfig(dir, R"({"echo": {}, "alpha": {"enabled": false}})"));
    auto r = runPortico({"plugins", "--config", file});
    CHECK(r.status == 0);
    CHECK(r.out.find("ID               VERSION    ABI    ENABLED   SUMMARY") == 0);
    CHECK(r.out.find("echo             1.0.0      2.2    yes       Test fixture echo") !=
          std::string::npos);
    CHECK(r.out.find("alpha            1.0.0      2.2    no        Test fixture alpha") !=
          std::string::npos);
    CHECK(r.out.find("pages            0.1.0      2.2    no        Serves the site") !=
          std::string::npos);
}

TEST_CASE("portico plugins lists a plugin file it refuses, with the reason") {
    TempDir dir;
    std::string config = testConfig(dir, R"({"echo": {}})");
    auto from = config.find("\"plugin_dirs\"");
    auto to = config.find('\n', from);
    config.replace(from, to - from,
                   "\"plugin_dirs\": [\"" + fixtureDir() + "\", \"" + badDir("wrong_abi") +
                       "\", \"" + badDir("bad_id") + "\", \"" + badDir("not_a_library") + "\"],");
    auto file = dir.write("portico.json", config);
    auto r = runPortico({"plugins", "--config", file});
    INFO(r.out << r.err);
    CHECK(r.status == 1);
    CHECK(r.out.find("echo             1.0.0      2.2    yes       Test fixture echo") !=
          std::string::npos);
    CHECK(r.out.find("wrong_abi        ?          ?      no        refused: abi_major: plugin 99, "
                     "host 2\n") != std::string::npos);
    CHECK(r.out.find("bad_id           ?          ?      no        refused: file declares plugin "
                     "id 'guestbook-lite'") != std::string::npos);
    CHECK(r.out.find("not_a_library    ?          ?      no        refused: not a shared "
                     "library") != std::string::npos);
}

TEST_CASE("portico plugins --schema prints a plugin's schema, or names an unknown id") {
    TempDir dir;
    auto file = dir.write("portico.json", testConfig(dir, "{}"));
    auto r = runPortico({"plugins", "--config", file, "--schema", "echo"});
    CHECK(r.status == 0);
    CHECK(r.out.find("\"greeting\": {") != std::string::npos);
    CHECK(r.out.find("\"description\": \"text of GET <prefix>\"") != std::string::npos);
    auto bad = runPortico({"plugins", "--config", file, "--schema", "ecko"});
    CHECK(bad.status == 1);
    CHECK(bad.err == "portico: unknown plugin 'ecko'; did you mean 'echo'?\n");
}

TEST_CASE("every shipped config in config/ passes check-config") {
    for (const auto& item : std::filesystem::directory_iterator(sourceDir() + "/config")) {
        if (item.path().extension() != ".json") continue;
        std::string rel = "config/" + item.path().filename().string();
        DYNAMIC_SECTION(rel) {
            auto r = runPortico({"check-config", "--config", rel}, {}, sourceDir());
            INFO(r.err);
            CHECK(r.status == 0);
            CHECK(r.out.find(rel + ": ok (") == 0);
        }
    }
}

TEST_CASE("the shipped config serves the site's home page from the pages plugin") {
    TempDir dir;
    int port = freePort();
    Process p({porticoBin(), "serve", "--config", "config/portico.json"},
              {{"PORTICO_PORT", std::to_string(port)},
               {"PORTICO_ADDRESS", "127.0.0.1"},
               {"PORTICO_DATA_DIR", dir.path() + "/data"}},
              sourceDir());
    REQUIRE(p.waitForOutput("portico listening on"));
    auto selector = request(port, "GET", "/");
    CHECK(selector.status == 200);
    CHECK(selector.header("content-type") == "text/html; charset=utf-8");
    CHECK(selector.body.find("hreflang=\"x-default\"") != std::string::npos);
    auto home = request(port, "GET", "/de/");
    CHECK(home.status == 200);
    CHECK(home.body.find("<html lang=\"de\">") != std::string::npos);
    auto css = home.body.find("/assets/css/site.");
    REQUIRE(css != std::string::npos);
    std::string css_url = home.body.substr(css, home.body.find('"', css) - css);
    CHECK(request(port, "GET", css_url).header("content-type") == "text/css; charset=utf-8");
    CHECK(request(port, "GET", "/en/").status == 200);
    CHECK(request(port, "GET", "/missing.html").status == 404);
    p.signal(SIGTERM);
    CHECK(p.wait() == 0);
}
