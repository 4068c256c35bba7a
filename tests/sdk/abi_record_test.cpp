// The loader's reading of a plugin's entry record, with records built by hand: the record is
// append-only, so a longer record than the host's comes from a newer SDK and is refused, and a
// record shorter than every record of this ABI major is damaged. The command table (ABI 2.1)
// is read the same way.
#include <catch2/catch.hpp>
#include <cstddef>
#include <cstring>
#include <string>
#include <vector>

#include "portico/internal/commands.hpp"
#include "portico/internal/library.hpp"

using portico::sdk::commandProblems;
using portico::sdk::hostRecordTemplate;
using portico::sdk::kMinRecordSize;
using portico::sdk::PluginLibrary;
using portico::sdk::PluginLoadError;
using portico::sdk::readCommands;
using portico::sdk::recordFixes;
using portico::sdk::recordMismatches;
using portico::sdk::splitNames;
using portico::sdk::widenRecord;

namespace {

// A record as a newer SDK (one more field at the end) would write it.
struct NewerRecord {
    portico_plugin_record base;
    const char* appended;
};

const std::string kHostSize = std::to_string(sizeof(portico_plugin_record));

}  // namespace

TEST_CASE("a plugin record longer than the host's, from a newer SDK, is refused") {
    NewerRecord newer{hostRecordTemplate(), "from the future"};
    newer.base.record_size = sizeof(NewerRecord);
    CHECK(recordMismatches(newer.base) ==
          std::vector<std::string>{"record_size: plugin " + std::to_string(sizeof(NewerRecord)) +
                                   ", host " + kHostSize +
                                   " (the plugin was built against a newer SDK than this host's, "
                                   "abi 2.2)"});
    CHECK(recordFixes(newer.base) ==
          std::vector<std::string>{"fix: run a host whose SDK is at least as new as the plugin's, "
                                   "or rebuild the plugin against this host's SDK (portico "
                                   "version shows the host's build)"});
    SECTION("and so is a newer minor version") {
        newer.base.abi_minor = PORTICO_ABI_MINOR + 1;
        CHECK(recordMismatches(newer.base).size() == 2);
        CHECK(recordMismatches(newer.base)[1] ==
              "abi_minor: plugin " + std::to_string(PORTICO_ABI_MINOR + 1) + ", host " +
                  std::to_string(PORTICO_ABI_MINOR) + " (plugin needs a newer host)");
    }
}

TEST_CASE("a plugin record of the host's own size and version is accepted") {
    portico_plugin_record record = hostRecordTemplate();
    CHECK(recordMismatches(record).empty());
    CHECK(recordFixes(record).empty());
}

TEST_CASE("a plugin record shorter than any record of this abi major is refused as damaged") {
    portico_plugin_record record = hostRecordTemplate();
    record.record_size = offsetof(portico_plugin_record, summary);
    CHECK(recordMismatches(record) ==
          std::vector<std::string>{"record_size: plugin " + std::to_string(record.record_size) +
                                   ", host " + kHostSize +
                                   " (shorter than any abi 2.x record: the file is damaged or "
                                   "was not built with PORTICO_PLUGIN)"});
    CHECK(recordFixes(record) ==
          std::vector<std::string>{"fix: rebuild the plugin against this host's SDK (portico "
                                   "version shows the host's build)"});
}

TEST_CASE("a shorter record reads the fields past its size as their defaults") {
    // What an older minor's record looks like to a newer host: the fields it lacks are never
    // read from the plugin's memory. Here everything from `summary` on is missing.
    portico_plugin_record record = hostRecordTemplate();
    record.id = "older";
    record.summary = "must not be read";
    record.config_schema = "{\"must\": \"not be read\"}";
    record.record_size = offsetof(portico_plugin_record, summary);
    const portico_plugin_record wide = widenRecord(record);
    CHECK(std::string(wide.id) == "older");
    CHECK(std::string(wide.summary).empty());
    CHECK(std::string(wide.dependencies).empty());
    CHECK(std::string(wide.config_schema) == "{}");
    CHECK(wide.create == nullptr);
    CHECK(wide.destroy == nullptr);
    CHECK(wide.record_size == record.record_size);
}

TEST_CASE("the smallest accepted record is every field of abi 2.0") {
    CHECK(kMinRecordSize == offsetof(portico_plugin_record, commands));
    portico_plugin_record record = hostRecordTemplate();
    record.record_size = kMinRecordSize;
    record.abi_minor = 0;
    CHECK(recordMismatches(record).empty());
}

TEST_CASE("a record of abi 2.0 loads and adds no commands, reading nothing past its size") {
    // The file's record ends before the command table and points it at memory that would crash
    // the host if it were read.
    const auto library = PluginLibrary::open(PORTICO_BAD_DIR "/abi_two_zero/abi_two_zero.so");
    CHECK(library->record().abi_minor == 0);
    CHECK(library->record().commands == nullptr);
    CHECK(library->record().command_count == 0);
    CHECK(library->commands().empty());
}

TEST_CASE("a command table with a mistake refuses the plugin, naming every mistake") {
    try {
        PluginLibrary::open(PORTICO_BAD_DIR "/bad_commands/bad_commands.so");
        FAIL("the plugin was loaded");
    } catch (const PluginLoadError& e) {
        const std::string rule =
            "^[a-z][a-z0-9_-]*$ (lowercase letters, digits, '-' and '_', starting with a letter)";
        CHECK(std::string(e.what()) ==
              std::string(PORTICO_BAD_DIR "/bad_commands/bad_commands.so") +
                  ": cannot load plugin\n"
                  "  command 1 has no name\n"
                  "  command 'Shout': name must match " +
                  rule +
                  "\n"
                  "  command 'twice' is declared twice\n"
                  "  command 'lazy' has no run function\n"
                  "  command 'opts': option '--config' is the host's own; choose another name\n"
                  "  command 'opts': option '--out' is declared twice\n"
                  "  command 'opts': option '----x' must match " +
                  rule +
                  "\n"
                  "  fix: correct the plugin's command table (see portico/sdk/command.hpp) and "
                  "rebuild it, or report this to the plugin's author");
    }
}

TEST_CASE("command entries are read with the size the plugin wrote them with") {
    const portico_plugin_command commands[] = {
        {"first", "one", "usage: one\n", "out", "force", 1, nullptr},
        {"second", nullptr, nullptr, nullptr, nullptr, 0, nullptr},
    };
    portico_plugin_record record = hostRecordTemplate();
    record.commands = commands;
    record.command_count = 2;
    const auto read = readCommands(record);
    REQUIRE(read.size() == 2);
    CHECK(std::string(read[0].value_options) == "out");
    CHECK(std::string(read[1].name) == "second");
    CHECK(std::string(read[1].summary).empty());  // null reads as empty
    CHECK(splitNames("format  out ") == std::vector<std::string>{"format", "out"});

    SECTION("an entry shorter than any is refused as damaged, a longer one as newer") {
        record.command_size = sizeof(portico_plugin_command) - sizeof(void*);
        CHECK(commandProblems(record) ==
              std::vector<std::string>{
                  "command_size: plugin " + std::to_string(record.command_size) + ", host " +
                  std::to_string(sizeof(portico_plugin_command)) +
                  " (shorter than any command entry: the file is damaged or was not built with "
                  "PORTICO_PLUGIN_WITH_COMMANDS)"});
        record.command_size = sizeof(portico_plugin_command) + 8;
        CHECK(commandProblems(record).size() == 1);
    }
}

TEST_CASE("each differing build fingerprint field gets the fix that matches it") {
    portico_plugin_record record = hostRecordTemplate();
    record.compiler = "clang 15";
    record.cxx_standard = "202002L";
    record.spdlog_version = "1.9";
    const auto& host = hostRecordTemplate();
    CHECK(recordFixes(record) ==
          std::vector<std::string>{
              std::string("fix: build the plugin with the compiler the host was built with (") +
                  host.compiler + "; CMAKE_CXX_COMPILER)",
              "fix: build the plugin with -std=c++17, the C++ standard the host uses "
              "(CMAKE_CXX_STANDARD 17)",
              std::string("fix: build the plugin against the spdlog the host uses (") +
                  host.spdlog_version + ")"});
}
