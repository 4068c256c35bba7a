#include "portico/sdk/command.hpp"

#include <algorithm>
#include <cstring>
#include <ostream>
#include <set>

#include "portico/internal/commands.hpp"

namespace portico::sdk {

namespace {

// Every field of ABI 2.1, the first minor with commands. Entries of later minors are longer.
constexpr std::size_t kMinCommandSize = sizeof(portico_plugin_command);

const char* orEmpty(const char* text) { return text != nullptr ? text : ""; }

// The problems of one entry's options, each starting with `label`.
void checkOptions(const portico_plugin_command& command, const std::string& label,
                  std::vector<std::string>& out) {
    const auto values = splitNames(command.value_options);
    const auto flags = splitNames(command.flags);
    std::set<std::string> seen;
    for (const auto* list : {&values, &flags}) {
        for (const auto& option : *list) {
            if (!isCommandName(option)) {
                out.push_back(label + ": option '--" + option + "' must match " + kCommandNameRule);
            } else if (option == "config" || option == "help") {
                out.push_back(label + ": option '--" + option +
                              "' is the host's own; choose another name");
            } else if (!seen.insert(option).second) {
                out.push_back(label + ": option '--" + option + "' is declared twice");
            }
        }
    }
}

}  // namespace

std::string CommandContext::option(const std::string& name, const std::string& fallback) const {
    const auto& given = options();
    const auto it = given.find(name);
    return it == given.end() ? fallback : it->second;
}

bool CommandContext::has(const std::string& name) const { return options().count(name) > 0; }

void reportCommandFailure(CommandContext& command, const char* what) noexcept {
    try {
        command.err() << "portico " << command.name() << ": " << orEmpty(what) << "\n";
        command.err().flush();
    } catch (...) {
        // Nothing is left to tell the operator with; the exit status still says it failed.
    }
}

bool isCommandName(const std::string& name) noexcept {
    if (name.empty() || name[0] < 'a' || name[0] > 'z') return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

std::vector<std::string> splitNames(const char* list) {
    std::vector<std::string> names;
    const std::string text = orEmpty(list);
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = std::min(text.find(' ', start), text.size());
        if (end > start) names.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return names;
}

std::vector<std::string> commandProblems(const portico_plugin_record& record) {
    if (record.commands == nullptr || record.command_count == 0) return {};
    const std::string sizes = "command_size: plugin " + std::to_string(record.command_size) +
                              ", host " + std::to_string(sizeof(portico_plugin_command));
    if (record.command_size < kMinCommandSize) {
        return {sizes +
                " (shorter than any command entry: the file is damaged or was not built "
                "with PORTICO_PLUGIN_WITH_COMMANDS)"};
    }
    if (record.command_size > sizeof(portico_plugin_command)) {
        return {sizes + " (the plugin was built against a newer SDK than this host's)"};
    }
    std::vector<std::string> out;
    std::set<std::string> names;
    std::size_t index = 0;
    for (const auto& command : readCommands(record)) {
        ++index;
        const std::string name = command.name;
        std::string label = "command '" + name + "'";
        if (name.empty()) {
            label = "command " + std::to_string(index);
            out.push_back(label + " has no name");
        } else if (!isCommandName(name)) {
            out.push_back(label + ": name must match " + std::string(kCommandNameRule));
        } else if (!names.insert(name).second) {
            out.push_back(label + " is declared twice");
        }
        if (command.run == nullptr) out.push_back(label + " has no run function");
        checkOptions(command, label, out);
    }
    return out;
}

std::vector<portico_plugin_command> readCommands(const portico_plugin_record& record) {
    std::vector<portico_plugin_command> commands;
    if (record.commands == nullptr) return commands;
    const auto* bytes = reinterpret_cast<const unsigned char*>(record.commands);
    const std::size_t size =
        std::min<std::size_t>(record.command_size, sizeof(portico_plugin_command));
    for (std::uint32_t i = 0; i < record.command_count; ++i) {
        portico_plugin_command command{"", "", "", "", "", 0, nullptr};
        std::memcpy(&command, bytes + std::size_t{i} * record.command_size, size);
        for (const char** text : {&command.name, &command.summary, &command.usage,
                                  &command.value_options, &command.flags}) {
            *text = orEmpty(*text);
        }
        commands.push_back(command);
    }
    return commands;
}

const portico_plugin_command* findCommand(const std::vector<portico_plugin_command>& commands,
                                          const std::string& name) {
    for (const auto& command : commands) {
        if (name == command.name) return &command;
    }
    return nullptr;
}

}  // namespace portico::sdk
