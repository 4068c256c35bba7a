#pragma once

#include "portico/sdk/context.hpp"
#include "portico/sdk/errors.hpp"

namespace portico::sdk {

/// Base class of every plugin. The host drives each instance through one config generation:
/// create -> configure -> validate -> start -> (requests) -> stop. Lifecycle methods run on the
/// host's main thread; hooks registered in `configure()` run on worker threads.
class Plugin {
public:
    virtual ~Plugin() = default;

    /// Reads `ctx.config()` into typed settings and registers hooks through `ctx.hooks()`.
    /// No side effects outside the object (no files, sockets or threads).
    /// Throws `ConfigError` carrying every problem found.
    virtual void configure(Context& ctx) = 0;

    /// Cross-checks settings after every plugin is configured (files exist, values agree).
    /// Throws `ConfigError`. Also run by `portico check-config`.
    virtual void validate(Context& ctx) {}

    /// Acquires resources (files, connections, prebuilt resources). May throw anything: the
    /// host stops the plugins already started, in reverse order, and exits non-zero.
    virtual void start(Context& ctx) {}

    /// Releases what `start()` acquired. Called once, in reverse start order, even after a
    /// failed `start()` of this plugin. Must not throw.
    virtual void stop() noexcept {}
};

}  // namespace portico::sdk
