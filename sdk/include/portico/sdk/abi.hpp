#pragma once

// The C boundary between the host and a plugin `.so`. The host reads this record before any
// C++ object crosses, and refuses the plugin when the ABI or build fingerprint differs.

#include <spdlog/version.h>

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "portico/sdk/poco_version.hpp"

#define PORTICO_ABI_MAGIC 0x50525443u /* "PRTC" */
#define PORTICO_ABI_MAJOR 2u
/* minor 1: HostStatus::generation() and HostStatus::libraries() (virtuals appended); the
   record's commands, command_count and command_size (fields appended);
   minor 2: SiteModel::publishFacts() and SiteModel::facts() (virtuals appended) */
#define PORTICO_ABI_MINOR 2u
#define PORTICO_ENTRY_SYMBOL "portico_plugin_entry"

#define PORTICO_STRINGIFY_IMPL(x) #x
#define PORTICO_STRINGIFY(x) PORTICO_STRINGIFY_IMPL(x)

#if defined(__clang__)
#define PORTICO_FP_COMPILER "clang " PORTICO_STRINGIFY(__clang_major__)
#elif defined(__GNUC__)
#define PORTICO_FP_COMPILER "gcc " PORTICO_STRINGIFY(__GNUC__)
#else
#define PORTICO_FP_COMPILER "unknown"
#endif

#if defined(_GLIBCXX_USE_CXX11_ABI) && _GLIBCXX_USE_CXX11_ABI
#define PORTICO_FP_CXX_ABI "libstdc++ cxx11"
#elif defined(_GLIBCXX_USE_CXX11_ABI)
#define PORTICO_FP_CXX_ABI "libstdc++ pre-cxx11"
#else
#define PORTICO_FP_CXX_ABI "other"
#endif

#define PORTICO_FP_CXX_STANDARD PORTICO_STRINGIFY(__cplusplus)
#define PORTICO_FP_POCO PORTICO_STRINGIFY(PORTICO_SDK_POCO_VERSION)
#define PORTICO_FP_JSON                                                       \
    PORTICO_STRINGIFY(NLOHMANN_JSON_VERSION_MAJOR)                            \
    "." PORTICO_STRINGIFY(NLOHMANN_JSON_VERSION_MINOR) "." PORTICO_STRINGIFY( \
        NLOHMANN_JSON_VERSION_PATCH)
#define PORTICO_FP_SPDLOG \
    PORTICO_STRINGIFY(SPDLOG_VER_MAJOR) "." PORTICO_STRINGIFY(SPDLOG_VER_MINOR)

extern "C" {

/// One `portico` subcommand a plugin adds (since ABI 2.1; see portico/sdk/command.hpp, which
/// also has the helper that fills `run`). Strings are static, NUL-terminated UTF-8.
///
/// Like the record, this struct only ever grows at its end: `command_size` in the record says
/// how many bytes of each entry the plugin wrote, and the host reads the fields past them as
/// their defaults.
struct portico_plugin_command {  // NOLINT(readability-identifier-naming): a C name, the ABI
    const char* name;            ///< `portico NAME ...`: lowercase letters, digits, '-' and '_'
    const char* summary;         ///< one line for `portico --help`
    const char* usage;           ///< the whole text of `portico NAME --help`, starting "usage: "
    /// Names of the options that take a value (`--format csv`), separated by spaces; may be "".
    const char* value_options;
    const char* flags;             ///< names of the options without a value, separated by spaces
    std::uint32_t max_positional;  ///< how many words may follow NAME
    /// Runs the command on `plugin` (an object made by the record's `create`, configured and
    /// validated, not started) with `command` (a `portico::sdk::CommandContext*`). Returns the
    /// exit status of `portico`. Never throws.
    int (*run)(void* plugin, void* command);
};

/// The record a plugin's entry function returns. Strings are static, NUL-terminated UTF-8.
///
/// Fields are only ever appended, each addition raising PORTICO_ABI_MINOR; `record_size` tells
/// the host how many are present. The host accepts a record of its own ABI major and a minor up
/// to its own: a shorter record from an older minor reads the fields it lacks as their defaults.
/// A longer record, or a higher minor, comes from a newer SDK than the host's and is refused, as
/// is any other major. The build fingerprint must match the host's exactly.
struct portico_plugin_record {   // NOLINT(readability-identifier-naming): a C name, the ABI
    std::uint32_t magic;         ///< PORTICO_ABI_MAGIC
    std::uint32_t record_size;   ///< sizeof(portico_plugin_record) as the plugin saw it
    std::uint32_t abi_major;     ///< must equal the host's
    std::uint32_t abi_minor;     ///< must be <= the host's
    const char* compiler;        ///< build fingerprint: compiler family and major version
    const char* cxx_abi;         ///< build fingerprint: standard library ABI
    const char* cxx_standard;    ///< build fingerprint: __cplusplus
    const char* poco_version;    ///< build fingerprint: POCO_VERSION
    const char* json_version;    ///< build fingerprint: nlohmann/json version
    const char* spdlog_version;  ///< build fingerprint: spdlog major.minor
    const char* id;              ///< plugin id = config key = file name without ".so"
    const char* version;         ///< the plugin's own version, e.g. "1.2.0"
    const char* summary;         ///< one line for `portico plugins`
    const char* dependencies;    ///< comma-separated plugin ids, may be ""
    const char* config_schema;   ///< JSON schema of the plugin's config block
    /// Creates the plugin object (a `portico::sdk::Plugin*`), or returns null and writes a
    /// message into `error` (at most `error_size` bytes). Never throws.
    void* (*create)(char* error, std::size_t error_size);
    /// Destroys an object made by `create`. Never throws.
    void (*destroy)(void* plugin);
    // ABI 2.1
    /// The plugin's `portico` subcommands: `command_count` entries of `command_size` bytes, or
    /// null (then `command_count` is 0). A record of ABI 2.0 ends before this field and adds no
    /// commands.
    const portico_plugin_command* commands;
    std::uint32_t command_count;
    std::uint32_t command_size;  ///< sizeof(portico_plugin_command) as the plugin saw it
};

/// Signature of the one exported symbol, named PORTICO_ENTRY_SYMBOL.
typedef const portico_plugin_record* (*portico_plugin_entry_fn)(void);

}  // extern "C"
