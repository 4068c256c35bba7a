#include "scaffold.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <set>
#include <stdexcept>

#include "cli.hpp"
#include "portico/internal/plugin_id.hpp"
#include "portico/sdk/http.hpp"

#ifndef PORTICO_VERSION
#define PORTICO_VERSION "0.0.0"
#endif
#ifndef PORTICO_CMAKE_PACKAGE_SUBDIR
#define PORTICO_CMAKE_PACKAGE_SUBDIR "lib/cmake/Portico"
#endif

namespace fs = std::filesystem;
namespace mustache = kainjow::mustache;

namespace portico::host {
namespace {

const std::string kTemplateSuffix = ".mustache";

// The C++ keywords and alternative tokens (up to C++20): the id is also the namespace of the
// generated code, so none of these can be one.
const std::set<std::string> kCppKeywords = {"alignas",       "alignof",     "and",
                                            "and_eq",        "asm",         "auto",
                                            "bitand",        "bitor",       "bool",
                                            "break",         "case",        "catch",
                                            "char",          "char8_t",     "char16_t",
                                            "char32_t",      "class",       "compl",
                                            "concept",       "const",       "consteval",
                                            "constexpr",     "constinit",   "const_cast",
                                            "continue",      "co_await",    "co_return",
                                            "co_yield",      "decltype",    "default",
                                            "delete",        "do",          "double",
                                            "dynamic_cast",  "else",        "enum",
                                            "explicit",      "export",      "extern",
                                            "false",         "float",       "for",
                                            "friend",        "goto",        "if",
                                            "inline",        "int",         "long",
                                            "mutable",       "namespace",   "new",
                                            "noexcept",      "not",         "not_eq",
                                            "nullptr",       "operator",    "or",
                                            "or_eq",         "private",     "protected",
                                            "public",        "register",    "reinterpret_cast",
                                            "requires",      "return",      "short",
                                            "signed",        "sizeof",      "static",
                                            "static_assert", "static_cast", "struct",
                                            "switch",        "template",    "this",
                                            "thread_local",  "throw",       "true",
                                            "try",           "typedef",     "typeid",
                                            "typename",      "union",       "unsigned",
                                            "using",         "virtual",     "void",
                                            "volatile",      "wchar_t",     "while",
                                            "xor",           "xor_eq"};

// Namespaces the generated code names from inside portico::plugins::<id>; an id equal to one
// would hide it there.
const std::set<std::string> kUsedNamespaces = {"nlohmann", "sdk", "std"};

bool isTemplate(const std::string& name) {
    return name.size() > kTemplateSuffix.size() &&
           name.compare(name.size() - kTemplateSuffix.size(), std::string::npos, kTemplateSuffix) ==
               0;
}

std::string quoted(const std::string& text) { return "\"" + sdk::escapeControls(text) + "\""; }

// "0.1.0" -> "0.1": what the generated CMakeLists.txt asks find_package(Portico) for.
std::string sdkVersion() {
    const std::string version = PORTICO_VERSION;
    const std::size_t first = version.find('.');
    const std::size_t second = first == std::string::npos ? first : version.find('.', first + 1);
    return version.substr(0, second);
}

// A likely meant id for a refused one ("Guest-Book" -> "guest_book"), or "" when there is none.
std::string suggestedId(const std::string& id) {
    std::string out;
    for (char c : id) {
        if (c >= 'A' && c <= 'Z') {
            out += static_cast<char>(c - 'A' + 'a');
        } else if (c == '-' || c == '.' || c == ' ') {
            out += '_';
        } else {
            out += c;
        }
    }
    return out != id && sdk::isPluginId(out) ? out : "";
}

// A mustache context that remembers each name it could not find, so that a template naming an
// unknown variable (or C++ braces read as a tag) is an error instead of a silent blank.
class StrictContext : public mustache::context<std::string> {
public:
    explicit StrictContext(const mustache::data* values) : context(values) {}
    const mustache::data* get(const std::string& name) const override {
        const mustache::data* found = context::get(name);
        if (found == nullptr) missing.insert(name);
        return found;
    }
    mutable std::set<std::string> missing;
};

std::string render(const std::string& name, const std::string& text, const mustache::data& values) {
    mustache::mustache tmpl{text};
    if (!tmpl.is_valid()) {
        throw std::logic_error("scaffold template " + name + ": " + tmpl.error_message());
    }
    // The values are ids and class names; nothing is HTML here.
    tmpl.set_custom_escape([](const std::string& value) { return value; });
    StrictContext context(&values);
    std::string out = tmpl.render(context);
    if (!context.missing.empty()) {
        throw std::logic_error("scaffold template " + name + ": unknown variable '" +
                               *context.missing.begin() + "'");
    }
    return out;
}

// Why `dir` cannot take a new plugin, or "" when it does not exist or is an empty folder.
std::string folderRefusal(const fs::path& dir) {
    std::error_code ec;
    const fs::file_status status = fs::symlink_status(dir, ec);
    if (!fs::exists(status)) return "";
    if (!fs::is_directory(fs::status(dir, ec))) {
        return quoted(dir.string()) + " exists and is not a folder";
    }
    const bool empty = fs::is_empty(dir, ec);
    if (ec) return "cannot read " + quoted(dir.string()) + ": " + ec.message();
    if (!empty) {
        return "folder " + quoted(dir.string()) +
               " exists and is not empty; nothing was written (name a new or empty folder "
               "with --dir)";
    }
    return "";
}

// Writes every file below `dir`; on failure removes what it wrote and returns the reason.
std::string writeFiles(const fs::path& dir, const std::vector<ScaffoldFile>& files) {
    std::error_code ec;
    const bool existed = fs::exists(dir, ec);
    std::string error;
    try {
        fs::create_directories(dir);
        for (const auto& file : files) {
            const fs::path path = dir / file.path;
            fs::create_directories(path.parent_path());
            std::ofstream out(path, std::ios::binary | std::ios::trunc);
            out << file.text;
            out.close();
            if (!out) {
                error = "cannot write " + quoted(path.string());
                break;
            }
        }
    } catch (const fs::filesystem_error& e) {
        error = "cannot create " + quoted(e.path1().string()) + ": " + e.code().message();
    }
    if (error.empty()) return "";
    // The folder was new or empty, so everything in it now is ours.
    if (existed) {
        for (const auto& entry : fs::directory_iterator(dir, ec)) fs::remove_all(entry.path(), ec);
    } else {
        fs::remove_all(dir, ec);
    }
    return error;
}

// The prefix to pass as CMAKE_PREFIX_PATH when this host was installed with its SDK.
std::string installedSdkPrefix() {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return "";
    const fs::path prefix = exe.parent_path().parent_path();
    const fs::path package = prefix / PORTICO_CMAKE_PACKAGE_SUBDIR / "PorticoConfig.cmake";
    return fs::exists(package, ec) ? prefix.lexically_normal().string() : "";
}

void printNextSteps(const std::string& id, const fs::path& dir,
                    const std::vector<ScaffoldFile>& files) {
    std::printf("wrote plugin %s into %s:\n", id.c_str(), quoted(dir.string()).c_str());
    for (const auto& file : files) std::printf("  %s\n", file.path.c_str());
    std::string prefix = installedSdkPrefix();
    if (prefix.empty()) prefix = "<SDK prefix>";
    const std::string build = (dir / "build").string();
    std::printf(
        "next: build and test it against the installed SDK\n"
        "  cmake -S %s -B %s -DCMAKE_PREFIX_PATH=%s\n"
        "  cmake --build %s\n"
        "  ctest --test-dir %s\n"
        "then add %s to plugin_dirs and \"%s\": {\"enabled\": true} to plugins in the config\n",
        dir.string().c_str(), build.c_str(), prefix.c_str(), build.c_str(), build.c_str(),
        (dir / "build" / "plugins").string().c_str(), id.c_str());
}

}  // namespace

std::string pluginClassName(const std::string& id) {
    std::string out;
    bool upper = true;
    for (char c : id) {
        if (c == '_') {
            upper = true;
            continue;
        }
        out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
        upper = false;
    }
    return out + "Plugin";
}

std::string scaffoldIdProblem(const std::string& id) {
    if (!sdk::isPluginId(id)) {
        const std::string hint = suggestedId(id);
        return std::string("plugin id must match ") + sdk::kPluginIdRule + ", got " + quoted(id) +
               (hint.empty() ? "" : "; try " + quoted(hint));
    }
    if (kCppKeywords.count(id)) {
        return "plugin id " + quoted(id) +
               " is a C++ keyword, and the id is also the namespace of the plugin's code; "
               "choose another id";
    }
    if (kUsedNamespaces.count(id)) {
        return "plugin id " + quoted(id) + " would hide the namespace " + id +
               " in the plugin's code (the id is also its namespace); choose another id";
    }
    return "";
}

std::vector<ScaffoldFile> scaffoldFiles(const std::string& id) {
    if (std::string problem = scaffoldIdProblem(id); !problem.empty()) {
        throw std::invalid_argument(problem);
    }
    mustache::data values{mustache::data::type::object};
    values.set("id", id);
    values.set("class_name", pluginClassName(id));
    values.set("sdk_version", sdkVersion());
    std::vector<ScaffoldFile> files;
    for (const auto& tmpl : scaffoldTemplates()) {
        const std::string name = tmpl.name;
        if (!isTemplate(name)) {
            files.push_back({name, tmpl.text});
            continue;
        }
        const std::string path = name.substr(0, name.size() - kTemplateSuffix.size());
        files.push_back({render(name, path, values), render(name, tmpl.text, values)});
    }
    std::sort(files.begin(), files.end(),
              [](const ScaffoldFile& a, const ScaffoldFile& b) { return a.path < b.path; });
    return files;
}

int runPluginsNew(const CommandLine& cli) {
    if (cli.positional.size() < 2) {
        std::fprintf(stderr, "plugins new: name the plugin: portico plugins new ID [--dir DIR]\n");
        return 2;
    }
    const std::string& id = cli.positional[1];
    if (std::string problem = scaffoldIdProblem(id); !problem.empty()) {
        std::fprintf(stderr, "plugins new: %s\n", problem.c_str());
        return 2;
    }
    const auto dir_option = cli.options.find("dir");
    const fs::path dir(dir_option == cli.options.end() ? id : dir_option->second);
    if (dir.empty()) {
        std::fprintf(stderr, "plugins new: --dir: must name a folder, got \"\"\n");
        return 2;
    }
    if (std::string refusal = folderRefusal(dir); !refusal.empty()) {
        std::fprintf(stderr, "plugins new: %s\n", refusal.c_str());
        return 1;
    }
    try {
        const auto files = scaffoldFiles(id);
        if (std::string error = writeFiles(dir, files); !error.empty()) {
            std::fprintf(stderr, "plugins new: %s; nothing was kept\n", error.c_str());
            return 1;
        }
        printNextSteps(id, dir, files);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "plugins new: %s\n", e.what());
        return 1;
    }
}

}  // namespace portico::host
