#pragma once

// `portico plugins new`: a new plugin folder in the house layout, rendered from the templates in
// host/scaffold/ (compiled into the host, see host/embed_scaffold.cmake) with kainjow mustache.

#include <string>
#include <vector>

namespace portico::host {

struct CommandLine;

/// One embedded template: its path inside host/scaffold/ and its text.
struct ScaffoldTemplate {
    const char* name;  ///< e.g. "src/{{id}}_plugin.hpp.mustache"; ".clang-format" is verbatim
    const char* text;
};

/// Every template, generated at build time from host/scaffold/.
const std::vector<ScaffoldTemplate>& scaffoldTemplates();

/// One file of a new plugin: its path inside the plugin's folder and its text.
struct ScaffoldFile {
    std::string path;  ///< e.g. "src/guestbook_plugin.hpp"
    std::string text;
};

/// The class name the scaffold gives plugin `id`: "guest_book" -> "GuestBookPlugin".
std::string pluginClassName(const std::string& id);

/// Why `id` cannot name a new plugin, as a message for the user; empty when it can. Checks the
/// plugin id rule, then that the id can be the C++ namespace the generated code uses.
std::string scaffoldIdProblem(const std::string& id);

/// The files of a new plugin `id`, sorted by path. Templates ending in ".mustache" are rendered
/// (paths too) with `id`, `class_name` and `sdk_version`; the rest are copied. Throws
/// `std::invalid_argument` when `scaffoldIdProblem(id)` is not empty, and `std::logic_error`
/// when a template is malformed or names a variable the scaffold does not define.
std::vector<ScaffoldFile> scaffoldFiles(const std::string& id);

/// `portico plugins new ID [--dir DIR]`: writes the files into DIR (default: ./ID), which must
/// not exist or be an empty folder. Returns 0 when written, 1 when the folder is refused or a
/// write fails, 2 for a bad command line or plugin id.
int runPluginsNew(const CommandLine& cli);

}  // namespace portico::host
