// The command table of `portico`: the host's commands and those the enabled plugins add, read
// from the fixture plugins' entry records (each fixture adds a command named after it;
// echo_twin one named "echo", backup_too one named "backup").
#include "plugin_commands.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "temp_folder.hpp"

using portico::host::Command;
using portico::host::CommandTable;
using portico::tests::TempFolder;

namespace {

std::string configWith(const TempFolder& folder, const std::string& plugins) {
    return folder.write("portico.json",
                        "{\"site\": {\"base_url\": \"http://localhost\"},\n"
                        " \"data_dir\": \"" +
                            folder.path() + "/data\",\n \"plugin_dirs\": [\"" +
                            PORTICO_FIXTURE_DIR + "\"],\n \"plugins\": " + plugins + "}\n");
}

std::vector<std::string> pluginCommands(const CommandTable& table) {
    std::vector<std::string> out;
    for (const auto& c : table.commands()) {
        if (!c.plugin.empty()) out.push_back(c.name + " of " + c.plugin);
    }
    return out;
}

}  // namespace

TEST_CASE("without plugins the table is the host's commands and no config is read") {
    const CommandTable table("/nonexistent/portico.json", false);
    CHECK(table.commands().size() == portico::host::commands().size());
    CHECK(table.find("check-config") != nullptr);
    CHECK(table.find("echo") == nullptr);
    CHECK(table.unknown("chek-config") ==
          "unknown command 'chek-config'; did you mean 'check-config'?");
    CHECK(table.unknown("zzz") == "unknown command 'zzz'");
    CHECK(table.unknown("zz\x1b]0;x\x07") == "unknown command 'zz\\x1b]0;x\\x07'");
}

TEST_CASE("the enabled plugins' commands follow the host's, in config order, with --config") {
    TempFolder folder;
    const std::string file =
        configWith(folder, R"({"gamma": {}, "echo": {}, "alpha": {"enabled": false}})");
    const CommandTable table(file, true);
    CHECK(pluginCommands(table) == std::vector<std::string>{"gamma of gamma", "echo of echo"});
    CHECK(table.clashes().empty());
    const Command* echo = table.find("echo");
    REQUIRE(echo != nullptr);
    CHECK(echo->summary == "show what a plugin command gets (echo)");
    CHECK(echo->value_options == std::set<std::string>{"config", "say", "status"});
    CHECK(echo->flags == std::set<std::string>{"throw"});
    CHECK(echo->max_positional == 3);
    CHECK(table.unknown("alpha") ==
          "unknown command 'alpha'; plugin 'alpha' adds it, but it is "
          "disabled in " +
              file + " (plugins.alpha.enabled)");
    CHECK(table.unknown("beta") == "unknown command 'beta'; plugin 'beta' adds it, but " + file +
                                       " does not enable it (add \"beta\": {\"enabled\": true} "
                                       "to plugins)");
}

TEST_CASE("a clashing plugin command is left out and its clash names both sides") {
    TempFolder folder;
    const std::string file =
        configWith(folder, R"({"echo": {}, "echo_twin": {}, "backup_too": {}, "gamma": {}})");
    const CommandTable table(file, true);
    const std::string twins =
        "plugins 'echo' and 'echo_twin' both add command 'echo'; enable "
        "only one of them in " +
        file;
    CHECK(table.clashes() ==
          std::vector<std::string>{twins,
                                   "plugin 'backup_too' adds command 'backup', but the host has "
                                   "a command of that name; the plugin's cannot be used"});
    CHECK(pluginCommands(table) == std::vector<std::string>{"gamma of gamma"});
    CHECK(table.find("echo") == nullptr);
    CHECK(table.clashOf("echo") == twins);
    REQUIRE(table.find("backup") != nullptr);
    CHECK(table.find("backup")->plugin.empty());
}

TEST_CASE("a config that cannot be read adds no plugin commands and says so for unknown ones") {
    TempFolder folder;
    const std::string file = folder.write("portico.json", "{ not json");
    const CommandTable table(file, true);
    CHECK(pluginCommands(table).empty());
    // The bundled plugins are found in the installed directory all the same.
    CHECK(table.unknown("contact") == "unknown command 'contact'; plugin 'contact' adds it, but " +
                                          file + " has problems (portico check-config lists them)");
    CHECK(table.unknown("zzz") == "unknown command 'zzz' (" + file +
                                      " has problems, so commands of its plugins may be missing; "
                                      "portico check-config lists them)");
}
