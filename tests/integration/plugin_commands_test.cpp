// Commands that plugins add to `portico` through the SDK, run through the real process with the
// fixture plugins: each fixture adds a command named after it (echo_twin one named "echo",
// backup_too one named "backup").
#include <catch2/catch.hpp>
#include <string>

#include "harness.hpp"

using namespace portico::tests;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("portico --help lists the commands of the enabled plugins, each with its plugin") {
    TempDir dir;
    const auto file =
        dir.write("portico.json", testConfig(dir, R"({"echo": {}, "gamma": {"enabled": false}})"));
    const auto r = runPortico({"--help", "--config", file});
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(contains(r.out, "  check-config   validate the config"));
    CHECK(contains(r.out, "\ncommands of the plugins " + file +
                              " enables:\n"
                              "  echo           show what a plugin command gets (echo) (plugin "
                              "echo)\n"));
    CHECK_FALSE(contains(r.out, "gamma"));
    CHECK_FALSE(contains(r.out, "  contact"));  // installed, but not in this config
    CHECK(r.err.empty());

    const auto usage = runPortico({"echo", "--help", "--config", file});
    CHECK(usage.status == 0);
    CHECK(usage.out ==
          "usage: portico echo [WORD...] [--say TEXT] [--status N] [--throw]\n"
          "\nadded by plugin echo (enabled in " +
              file +
              "); every command also takes:\n"
              "  --config FILE   config file (default: $PORTICO_CONFIG, else "
              "config/portico.json)\n");
    CHECK(runPortico({"help", "echo", "--config", file}).out == usage.out);
}

TEST_CASE("a plugin command runs on the configured plugin, which is not started") {
    TempDir dir;
    const auto file = dir.write("portico.json", testConfig(dir, R"({"echo": {"greeting": "hi"}})"));
    const auto r = runPortico({"echo", "a", "b", "--say", "yo", "--config", file});
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(r.out == "echo of echo: greeting=hi words=a,b say=yo started=no options=1\n");
    // The plugin's log goes to stderr, so the command's output stays its own.
    CHECK(contains(r.err, "echo command ran"));

    SECTION("its exit status is portico's") {
        CHECK(runPortico({"echo", "--status", "3", "--config", file}).status == 3);
    }
    SECTION("its options are checked like a host command's") {
        const auto bad = runPortico({"echo", "--sya", "x", "--config", file});
        CHECK(bad.status == 2);
        CHECK(
            contains(bad.err, "portico: unknown option '--sya' for 'echo'; did you mean '--say'?"));
        const auto extra = runPortico({"echo", "1", "2", "3", "4\x1b[2J", "--config", file});
        CHECK(extra.status == 2);
        CHECK(contains(extra.err, "portico: unexpected argument '4\\x1b[2J' for 'echo'"));
    }
    SECTION("an exception in the command is reported and never crosses the plugin boundary") {
        const auto thrown = runPortico({"echo", "--throw", "--config", file});
        CHECK(thrown.status == 1);
        CHECK(thrown.out.empty());
        CHECK(contains(thrown.err, "portico echo: fixture command exploded on purpose\n"));
    }
    SECTION("the config comes from PORTICO_CONFIG like any command's") {
        const auto from_env = runPortico({"echo", "x"}, {{"PORTICO_CONFIG", file}});
        CHECK(from_env.status == 0);
        CHECK(contains(from_env.out, "words=x "));
    }
}

TEST_CASE("a plugin command reports config errors as check-config does") {
    TempDir dir;
    const auto file =
        dir.write("portico.json", testConfig(dir, R"({"echo": {"greetin": "hi"}, "gamma": {}})"));
    const auto checked = runPortico({"check-config", "--config", file});
    const auto r = runPortico({"echo", "--config", file});
    CHECK(r.status == 1);
    CHECK(r.out.empty());
    CHECK(r.err == checked.err);
    CHECK(
        contains(r.err, file + ": plugins.echo: unknown key 'greetin'; did you mean 'greeting'?"));
    CHECK(contains(r.err, file + ": 1 problem found\n"));
}

TEST_CASE("the command of an optional plugin that was skipped says so and fails") {
    TempDir dir;
    const auto file = dir.write(
        "portico.json",
        testConfig(dir, R"({"echo": {"required": false, "fail_configure": true}, "gamma": {}})"));
    const auto r = runPortico({"echo", "--config", file});
    CHECK(r.status == 1);
    CHECK(r.out.empty());
    CHECK(contains(
        r.err, "warning: plugins.echo.fail_configure: asked to fail (optional plugin skipped)\n"));
    CHECK(contains(r.err, "portico echo: plugin 'echo' was skipped (see the warning above)\n"));
}

TEST_CASE("the command of a plugin that is not enabled is unknown, with a hint naming the plugin") {
    TempDir dir;
    SECTION("disabled") {
        const auto file = dir.write(
            "portico.json", testConfig(dir, R"({"echo": {"enabled": false}, "gamma": {}})"));
        CHECK_FALSE(contains(runPortico({"--help", "--config", file}).out, "  echo "));
        const auto r = runPortico({"echo", "x", "--config", file});
        CHECK(r.status == 2);
        CHECK(r.err ==
              "portico: unknown command 'echo'; plugin 'echo' adds it, but it is disabled "
              "in " +
                  file + " (plugins.echo.enabled)\nrun 'portico --help' for usage\n");
    }
    SECTION("not in the config") {
        const auto file = dir.write("portico.json", testConfig(dir, R"({"gamma": {}})"));
        const auto r = runPortico({"contact", "list", "--config", file});
        CHECK(r.status == 2);
        CHECK(contains(r.err, "portico: unknown command 'contact'; plugin 'contact' adds it, but " +
                                  file +
                                  " does not enable it (add \"contact\": {\"enabled\": true} to "
                                  "plugins)\n"));
    }
    SECTION("enabled but not installed") {
        const auto file = dir.write("portico.json", testConfig(dir, R"({"ghost": {}})"));
        const auto r = runPortico({"ghost", "--config", file});
        CHECK(r.status == 2);
        CHECK(contains(r.err, "portico: unknown command 'ghost'; plugin 'ghost' is enabled in " +
                                  file + " but not installed (no ghost.so in "));
    }
    SECTION("a near miss gets a did-you-mean among the plugins' commands") {
        const auto file = dir.write("portico.json", testConfig(dir, R"({"gamma": {}})"));
        const auto r = runPortico({"gamm", "--config", file});
        CHECK(r.status == 2);
        CHECK(contains(r.err, "portico: unknown command 'gamm'; did you mean 'gamma'?\n"));
    }
}

TEST_CASE(
    "a plugin command named like a host command or another plugin's is an error naming both, "
    "in check-config too") {
    TempDir dir;
    SECTION("two plugins") {
        const auto file =
            dir.write("portico.json", testConfig(dir, R"({"echo": {}, "echo_twin": {}})"));
        const std::string clash =
            "portico: plugins 'echo' and 'echo_twin' both add command 'echo'; "
            "enable only one of them in " +
            file + "\n";
        const auto help = runPortico({"--help", "--config", file});
        CHECK(help.status == 1);
        CHECK(help.err == clash);
        CHECK_FALSE(contains(help.out, "  echo "));
        const auto r = runPortico({"echo", "--config", file});
        CHECK(r.status == 2);
        CHECK(r.err == clash + "run 'portico --help' for usage\n");
        // (The twins' routes clash as well: check-config names every problem.)
        const auto check = runPortico({"check-config", "--config", file});
        CHECK(check.status == 1);
        CHECK(contains(check.err, file +
                                      ": plugins: plugins 'echo' and 'echo_twin' both add command "
                                      "'echo'; enable only one of them in " +
                                      file + "\n"));
    }
    SECTION("a host command") {
        const auto file = dir.write("portico.json", testConfig(dir, R"({"backup_too": {}})"));
        const auto help = runPortico({"--help", "--config", file});
        CHECK(help.status == 1);
        CHECK(help.err ==
              "portico: plugin 'backup_too' adds command 'backup', but the host has a "
              "command of that name; the plugin's cannot be used\n");
        // The host's command is untouched.
        const auto usage = runPortico({"backup", "--help", "--config", file});
        CHECK(usage.status == 0);
        CHECK(usage.out.rfind("usage: portico backup --out", 0) == 0);
        const auto check = runPortico({"check-config", "--config", file});
        CHECK(check.status == 1);
        CHECK(contains(check.err, file + ": plugins: plugin 'backup_too' adds command 'backup', "
                                         "but the host has a command of that name"));
    }
}
