#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "portico/sdk/abi.hpp"
#include "portico/sdk/command.hpp"

namespace portico::host {

/// The `sdk::CommandContext` of one plugin command run, in the host and in the test kit alike.
/// Everything it refers to must outlive it.
class PluginCommandContext final : public sdk::CommandContext {
public:
    PluginCommandContext(std::string name, sdk::Context& context, std::vector<std::string> words,
                         std::map<std::string, std::string> options, std::ostream& out,
                         std::ostream& err)
        : name_(std::move(name)),
          context_(context),
          words_(std::move(words)),
          options_(std::move(options)),
          out_(out),
          err_(err) {}

    const std::string& name() const override { return name_; }
    sdk::Context& context() override { return context_; }
    const std::vector<std::string>& words() const override { return words_; }
    const std::map<std::string, std::string>& options() const override { return options_; }
    std::ostream& out() override { return out_; }
    std::ostream& err() override { return err_; }

private:
    std::string name_;
    sdk::Context& context_;
    std::vector<std::string> words_;
    std::map<std::string, std::string> options_;
    std::ostream& out_;
    std::ostream& err_;
};

/// Runs `command` (from the library that made `plugin`) on `plugin` with `context` and returns
/// its exit status. The command's run function never throws (see `sdk::commandEntry`); the
/// streams are flushed afterwards.
int runCommand(const portico_plugin_command& command, sdk::Plugin& plugin,
               PluginCommandContext& context);

}  // namespace portico::host
