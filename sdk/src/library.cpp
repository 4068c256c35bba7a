#include "portico/sdk/library.hpp"

#include <dlfcn.h>
#include <sys/stat.h>

#include <cstddef>
#include <cstdio>
#include <mutex>
#include <unordered_map>

namespace portico::sdk {

namespace {

constexpr const char* kFixRebuild =
    "fix: rebuild the plugin against this host's SDK (portico version shows the host's build)";

[[noreturn]] void fail(const std::string& path, const std::vector<std::string>& problems,
                       const std::string& fix) {
    std::string message = path + ": cannot load plugin";
    for (const auto& problem : problems) message += "\n  " + problem;
    if (!fix.empty()) message += "\n  " + fix;
    throw PluginLoadError(message);
}

std::string quoted(const char* text) {
    return text == nullptr ? std::string("(null)") : "\"" + std::string(text) + "\"";
}

// True when the plugin's record is long enough to contain the field ending at `end`.
bool has(const portico_plugin_record& plugin, std::size_t end) {
    return plugin.record_size >= end;
}

// Plugin objects are handed out with a plain function pointer as deleter, so the matching
// `destroy` of each live object is looked up here.
std::mutex& destroyMutex() {
    static std::mutex mutex;
    return mutex;
}

std::unordered_map<Plugin*, void (*)(void*)>& destroyTable() {
    static std::unordered_map<Plugin*, void (*)(void*)> table;
    return table;
}

void destroyPlugin(Plugin* plugin) {
    if (plugin == nullptr) return;
    void (*destroy)(void*) = nullptr;
    {
        std::lock_guard<std::mutex> lock(destroyMutex());
        auto it = destroyTable().find(plugin);
        if (it != destroyTable().end()) {
            destroy = it->second;
            destroyTable().erase(it);
        }
    }
    if (destroy != nullptr) destroy(static_cast<void*>(plugin));
}

}  // namespace

const portico_plugin_record& hostRecordTemplate() noexcept {
    static const portico_plugin_record record = {
        PORTICO_ABI_MAGIC,       sizeof(portico_plugin_record),
        PORTICO_ABI_MAJOR,       PORTICO_ABI_MINOR,
        PORTICO_FP_COMPILER,     PORTICO_FP_CXX_ABI,
        PORTICO_FP_CXX_STANDARD, PORTICO_FP_POCO,
        PORTICO_FP_JSON,         PORTICO_FP_SPDLOG,
        "",                      "",
        "",                      "",
        "{}",                    nullptr,
        nullptr};
    return record;
}

std::vector<std::string> recordMismatches(const portico_plugin_record& plugin) {
    const portico_plugin_record& host = hostRecordTemplate();
    std::vector<std::string> out;
    if (plugin.record_size < sizeof(portico_plugin_record)) {
        out.push_back("record_size: plugin " + std::to_string(plugin.record_size) + ", host " +
                      std::to_string(host.record_size) +
                      " (plugin built against an older, incompatible SDK)");
    }
    if (has(plugin, offsetof(portico_plugin_record, abi_major) + sizeof(std::uint32_t)) &&
        plugin.abi_major != host.abi_major) {
        out.push_back("abi_major: plugin " + std::to_string(plugin.abi_major) + ", host " +
                      std::to_string(host.abi_major));
    }
    if (has(plugin, offsetof(portico_plugin_record, abi_minor) + sizeof(std::uint32_t)) &&
        plugin.abi_minor > host.abi_minor) {
        out.push_back("abi_minor: plugin " + std::to_string(plugin.abi_minor) + ", host " +
                      std::to_string(host.abi_minor) + " (plugin needs a newer host)");
    }
    struct Field {
        const char* name;
        std::size_t offset;
    };
    static const Field kFingerprint[] = {
        {"compiler", offsetof(portico_plugin_record, compiler)},
        {"cxx_abi", offsetof(portico_plugin_record, cxx_abi)},
        {"cxx_standard", offsetof(portico_plugin_record, cxx_standard)},
        {"poco_version", offsetof(portico_plugin_record, poco_version)},
        {"json_version", offsetof(portico_plugin_record, json_version)},
        {"spdlog_version", offsetof(portico_plugin_record, spdlog_version)},
    };
    for (const auto& field : kFingerprint) {
        if (!has(plugin, field.offset + sizeof(const char*))) continue;
        const char* mine = *reinterpret_cast<const char* const*>(
            reinterpret_cast<const unsigned char*>(&plugin) + field.offset);
        const char* theirs = *reinterpret_cast<const char* const*>(
            reinterpret_cast<const unsigned char*>(&host) + field.offset);
        if (mine == nullptr || std::string(mine) != theirs) {
            out.push_back(std::string(field.name) + ": plugin " + quoted(mine) + ", host " +
                          quoted(theirs));
        }
    }
    return out;
}

std::shared_ptr<PluginLibrary> PluginLibrary::open(const std::string& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) {
        fail(path, {"plugin file not found"},
             "fix: check the file name and the plugin_dirs setting in the config");
    }

    ::dlerror();
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        const char* why = ::dlerror();
        fail(path,
             {"not a shared library or cannot be loaded: " +
              std::string(why != nullptr ? why : "unknown dlopen error")},
             "fix: check that the file is a Portico plugin built for this machine and that the "
             "libraries it needs are installed (ldd shows what is missing)");
    }
    // Close the handle on every refusal below.
    auto refuse = [&](const std::vector<std::string>& problems, const std::string& fix) {
        ::dlclose(handle);
        fail(path, problems, fix);
    };

    ::dlerror();
    void* symbol = ::dlsym(handle, PORTICO_ENTRY_SYMBOL);
    if (symbol == nullptr) {
        refuse({"entry symbol '" PORTICO_ENTRY_SYMBOL
                "' not found; was the plugin built with PORTICO_PLUGIN(...)?"},
               "fix: add PORTICO_PLUGIN(...) to the plugin's entry.cpp, build it with "
               "portico_add_plugin() and rebuild");
    }
    auto entry = reinterpret_cast<portico_plugin_entry_fn>(symbol);

    const portico_plugin_record* record = nullptr;
    std::string threw;
    try {
        record = entry();
    } catch (const std::exception& e) {
        threw = e.what();
    } catch (...) {
        threw = "unknown exception";
    }
    const char* kFixAuthor = "fix: report this to the plugin's author; the entry function must "
                             "return its static record and never fail";
    if (!threw.empty()) refuse({"entry function threw: " + threw}, kFixAuthor);
    if (record == nullptr) refuse({"entry function returned no record"}, kFixAuthor);
    if (record->magic != PORTICO_ABI_MAGIC) {
        char buf[80];
        std::snprintf(buf, sizeof buf, "bad magic: plugin 0x%08x, host 0x%08x", record->magic,
                      PORTICO_ABI_MAGIC);
        refuse({buf}, kFixRebuild);
    }
    std::vector<std::string> problems = recordMismatches(*record);
    if (!problems.empty()) refuse(problems, kFixRebuild);
    if (record->id == nullptr || record->id[0] == '\0' || record->create == nullptr ||
        record->destroy == nullptr) {
        refuse({"record is incomplete (no id, create or destroy function)"}, kFixAuthor);
    }
    return std::shared_ptr<PluginLibrary>(new PluginLibrary(path, handle, record));
}

PluginLibrary::PluginLibrary(std::string path, void* handle, const portico_plugin_record* record)
    : path_(std::move(path)), handle_(handle), record_(record) {}

PluginLibrary::~PluginLibrary() {
    if (handle_ != nullptr) ::dlclose(handle_);
}

std::vector<std::string> PluginLibrary::dependencies() const {
    std::vector<std::string> out;
    const std::string list = record_->dependencies != nullptr ? record_->dependencies : "";
    std::size_t start = 0;
    while (start <= list.size()) {
        std::size_t comma = list.find(',', start);
        if (comma == std::string::npos) comma = list.size();
        std::size_t first = start;
        std::size_t last = comma;
        while (first < last && (list[first] == ' ' || list[first] == '\t')) ++first;
        while (last > first && (list[last - 1] == ' ' || list[last - 1] == '\t')) --last;
        if (last > first) out.push_back(list.substr(first, last - first));
        start = comma + 1;
    }
    return out;
}

std::unique_ptr<Plugin, void (*)(Plugin*)> PluginLibrary::create() const {
    char error[512] = {0};
    void* raw = record_->create(error, sizeof error);
    if (raw == nullptr) {
        throw PluginLoadError(path_ + ": cannot create plugin '" + id() + "'\n  " +
                              (error[0] != '\0' ? error : "create returned null") +
                              "\n  fix: see the plugin's log and documentation");
    }
    // The entry macro converts to Plugin* before erasing the type, so this cast is exact.
    Plugin* plugin = static_cast<Plugin*>(raw);
    {
        std::lock_guard<std::mutex> lock(destroyMutex());
        destroyTable()[plugin] = record_->destroy;
    }
    return std::unique_ptr<Plugin, void (*)(Plugin*)>(plugin, &destroyPlugin);
}

}  // namespace portico::sdk
