#pragma once

#include <string>

#include "portico/sdk/command.hpp"
#include "portico/sdk/plugin.hpp"

namespace portico::plugins::hello {

/// JSON schema of the `hello` config block.
extern const char* const kSchema;

/// What `portico hello --help` prints.
extern const char* const kCommandUsage;

/// Answers GET <path>?name=Ada with "<greeting>, Ada!" and tags every response with X-Hello.
class HelloPlugin final : public sdk::Plugin {
public:
    /// Reads `greeting` and `path` and registers the route and the header hook. Main thread.
    /// Throws `sdk::ConfigError` when `path` is not absolute.
    void configure(sdk::Context& ctx) override;
    /// Logs the mounted path. Main thread; does not throw.
    void start(sdk::Context& ctx) override;

    /// `portico hello greet NAME [--shout]`: prints the greeting the route would answer NAME
    /// with, from the configured `greeting`. Runs on a configured plugin that was not started.
    /// Main thread. Returns 2 for other words.
    int runCommand(sdk::CommandContext& cmd);

private:
    /// The route handler; any worker thread, concurrently. Reads only immutable members.
    void greet(const sdk::Request& req, sdk::Response& res) const;

    std::string greeting_;
    std::string path_;
};

}  // namespace portico::plugins::hello
