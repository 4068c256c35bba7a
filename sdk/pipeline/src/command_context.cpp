#include "command_context.hpp"

namespace portico::host {

int runCommand(const portico_plugin_command& command, sdk::Plugin& plugin,
               PluginCommandContext& context) {
    // `create` returned the object as a Plugin* erased to void*; hand it back the same way.
    const int status = command.run(static_cast<void*>(&plugin), &context);
    context.out().flush();
    context.err().flush();
    return status;
}

}  // namespace portico::host
