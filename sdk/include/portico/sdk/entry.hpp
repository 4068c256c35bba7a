#pragma once

#include <cstdint>
#include <cstdio>
#include <exception>
#include <new>
#include <type_traits>

#include "portico/sdk/abi.hpp"
#include "portico/sdk/plugin.hpp"

/// Declares the plugin's entry record. Use once per `.so`, in its own `entry.cpp`:
///
///     PORTICO_PLUGIN(portico::plugins::hello::HelloPlugin, "hello", "0.1.0",
///                    "Greets visitors", kHelloSchema, "")
///
/// `CLASS` must be default-constructible and derive from `portico::sdk::Plugin`; `SCHEMA` is a
/// `const char*` with the JSON schema of the config block; `DEPENDENCIES` a comma-separated
/// list of plugin ids that must start first. Exceptions never cross the C boundary.
#define PORTICO_PLUGIN(CLASS, ID, VERSION, SUMMARY, SCHEMA, DEPENDENCIES) \
    PORTICO_PLUGIN_RECORD_(CLASS, ID, VERSION, SUMMARY, SCHEMA, DEPENDENCIES, nullptr, 0u)

/// PORTICO_PLUGIN for a plugin that adds `portico` subcommands: `COMMANDS` is a static array
/// of `portico_plugin_command` (see portico/sdk/command.hpp), e.g.
///
///     const portico_plugin_command kHelloCommands[] = {
///         {"hello", "print the greeting for a name", kHelloUsage, "", "shout", 2,
///          &portico::sdk::commandEntry<HelloPlugin, &HelloPlugin::runCommand>},
///     };
///     PORTICO_PLUGIN_WITH_COMMANDS(HelloPlugin, "hello", "0.1.0", "Greets visitors",
///                                  kHelloSchema, "", kHelloCommands)
#define PORTICO_PLUGIN_WITH_COMMANDS(CLASS, ID, VERSION, SUMMARY, SCHEMA, DEPENDENCIES, COMMANDS) \
    static_assert(std::is_array_v<decltype(COMMANDS)>,                                            \
                  "PORTICO_PLUGIN_WITH_COMMANDS: COMMANDS must be an array of "                   \
                  "portico_plugin_command, not a pointer");                                       \
    PORTICO_PLUGIN_RECORD_(CLASS, ID, VERSION, SUMMARY, SCHEMA, DEPENDENCIES, COMMANDS,           \
                           static_cast<std::uint32_t>(std::extent_v<decltype(COMMANDS)>))

// The record of both macros above.
#define PORTICO_PLUGIN_RECORD_(CLASS, ID, VERSION, SUMMARY, SCHEMA, DEPENDENCIES, COMMANDS,      \
                               COMMAND_COUNT)                                                    \
    namespace {                                                                                  \
    void* portico_create_(char* error, std::size_t error_size) {                                 \
        try {                                                                                    \
            return static_cast<::portico::sdk::Plugin*>(new CLASS());                            \
        } catch (const std::exception& e) {                                                      \
            std::snprintf(error, error_size, "%s", e.what());                                    \
        } catch (...) {                                                                          \
            std::snprintf(error, error_size, "unknown exception");                               \
        }                                                                                        \
        return nullptr;                                                                          \
    }                                                                                            \
    void portico_destroy_(void* plugin) { delete static_cast<::portico::sdk::Plugin*>(plugin); } \
    }                                                                                            \
    extern "C" __attribute__((visibility("default"))) const portico_plugin_record*               \
    portico_plugin_entry(void) {                                                                 \
        static const portico_plugin_record record = {PORTICO_ABI_MAGIC,                          \
                                                     sizeof(portico_plugin_record),              \
                                                     PORTICO_ABI_MAJOR,                          \
                                                     PORTICO_ABI_MINOR,                          \
                                                     PORTICO_FP_COMPILER,                        \
                                                     PORTICO_FP_CXX_ABI,                         \
                                                     PORTICO_FP_CXX_STANDARD,                    \
                                                     PORTICO_FP_POCO,                            \
                                                     PORTICO_FP_JSON,                            \
                                                     PORTICO_FP_SPDLOG,                          \
                                                     ID,                                         \
                                                     VERSION,                                    \
                                                     SUMMARY,                                    \
                                                     DEPENDENCIES,                               \
                                                     SCHEMA,                                     \
                                                     &portico_create_,                           \
                                                     &portico_destroy_,                          \
                                                     COMMANDS,                                   \
                                                     COMMAND_COUNT,                              \
                                                     sizeof(portico_plugin_command)};            \
        return &record;                                                                          \
    }
