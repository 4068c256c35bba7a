#pragma once

// The plugin id rule, in one place for the host, the loader and the test kit (portico_add_plugin
// in cmake/PorticoPlugin.cmake applies the same pattern at configure time).

#include <algorithm>
#include <string>

namespace portico::sdk {

/// The plugin id rule: lowercase letters, digits and underscores, starting with a letter.
constexpr const char* kPluginIdPattern = "^[a-z][a-z0-9_]*$";
/// `kPluginIdPattern` with its meaning, for messages.
constexpr const char* kPluginIdRule =
    "^[a-z][a-z0-9_]*$ (lowercase letters, digits and underscores, starting with a letter)";

/// True when `id` follows the plugin id rule.
inline bool isPluginId(const std::string& id) noexcept {
    if (id.empty() || id[0] < 'a' || id[0] > 'z') return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

}  // namespace portico::sdk
