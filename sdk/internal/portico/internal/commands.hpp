#pragma once

// Host side of plugin commands: reading and checking the command table of an entry record.
// Used by the loader (library.cpp), the host and the test kit; not installed.

#include <string>
#include <vector>

#include "portico/sdk/abi.hpp"

namespace portico::sdk {

/// The command and option name rule: lowercase letters, digits, '-' and '_', starting with a
/// letter, as the host's own commands (`check-config`) and options (`--out`) are named.
constexpr const char* kCommandNameRule =
    "^[a-z][a-z0-9_-]*$ (lowercase letters, digits, '-' and '_', starting with a letter)";

/// True when `name` follows `kCommandNameRule`.
bool isCommandName(const std::string& name) noexcept;

/// The names in a space-separated list such as `portico_plugin_command::value_options`
/// ("format out"); null reads as empty.
std::vector<std::string> splitNames(const char* list);

/// What is wrong with the command table of `record` (a record already widened to the host's
/// layout), one line each: a table the record's size or version cannot hold, an entry without
/// name or run function, a name or option that breaks `kCommandNameRule`, a name given twice,
/// an option named like the host's own (`config`, `help`). Empty when the table is usable (or
/// absent). The table's memory must be readable.
std::vector<std::string> commandProblems(const portico_plugin_record& record);

/// The commands of `record` in the host's layout: each entry's first `command_size` bytes and
/// defaults past them (an empty string, 0), null strings read as "". Empty for a record of ABI
/// 2.0 or without commands. `record` must have passed `commandProblems`.
std::vector<portico_plugin_command> readCommands(const portico_plugin_record& record);

/// The command named `name` in `commands` (as `PluginLibrary::commands()` lists them), or null.
const portico_plugin_command* findCommand(const std::vector<portico_plugin_command>& commands,
                                          const std::string& name);

}  // namespace portico::sdk
