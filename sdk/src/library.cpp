#include "portico/internal/library.hpp"

#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <unordered_map>

#include "portico/internal/commands.hpp"

namespace portico::sdk {

namespace {

constexpr const char* kFixRebuild =
    "fix: rebuild the plugin against this host's SDK (portico version shows the host's build)";
constexpr const char* kFixNewer =
    "fix: run a host whose SDK is at least as new as the plugin's, or rebuild the plugin against "
    "this host's SDK (portico version shows the host's build)";
constexpr const char* kFixAuthor =
    "fix: report this to the plugin's author; the entry function must return its static record "
    "and never fail";

[[noreturn]] void fail(const std::string& path, const std::vector<std::string>& problems,
                       const std::vector<std::string>& fixes) {
    std::string message = path + ": cannot load plugin";
    for (const auto& problem : problems) message += "\n  " + problem;
    for (const auto& fix : fixes) message += "\n  " + fix;
    throw PluginLoadError(message);
}

std::string quoted(const char* text) {
    return text == nullptr ? std::string("(null)") : "\"" + std::string(text) + "\"";
}

// True when the plugin's record is long enough to contain the field ending at `end`.
bool has(const portico_plugin_record& plugin, std::size_t end) { return plugin.record_size >= end; }

// "201703L" -> "c++17"; anything else as it is.
std::string standardFlag(const char* cplusplus) {
    static const std::pair<const char*, const char*> kStandards[] = {
        {"201103L", "c++11"}, {"201402L", "c++14"}, {"201703L", "c++17"},
        {"202002L", "c++20"}, {"202302L", "c++23"},
    };
    for (const auto& [value, name] : kStandards) {
        if (std::strcmp(cplusplus, value) == 0) return name;
    }
    return cplusplus;
}

// One fingerprint field: where it sits, and what to do when the plugin's differs.
struct FingerprintField {
    const char* name;
    std::size_t offset;
    std::string (*fix)(const portico_plugin_record& host);
};

const char* field(const portico_plugin_record& record, std::size_t offset) {
    return *reinterpret_cast<const char* const*>(reinterpret_cast<const unsigned char*>(&record) +
                                                 offset);
}

const std::vector<FingerprintField>& fingerprint() {
    static const std::vector<FingerprintField> kFields = {
        {"compiler", offsetof(portico_plugin_record, compiler),
         [](const portico_plugin_record& host) {
             return std::string(
                        "fix: build the plugin with the compiler the host was built with (") +
                    host.compiler + "; CMAKE_CXX_COMPILER)";
         }},
        {"cxx_abi", offsetof(portico_plugin_record, cxx_abi),
         [](const portico_plugin_record& host) {
             return std::string("fix: build the plugin with the host's standard library ABI (") +
                    host.cxx_abi + "; do not set _GLIBCXX_USE_CXX11_ABI)";
         }},
        {"cxx_standard", offsetof(portico_plugin_record, cxx_standard),
         [](const portico_plugin_record& host) {
             const std::string flag = standardFlag(host.cxx_standard);
             return "fix: build the plugin with -std=" + flag +
                    ", the C++ standard the host uses (CMAKE_CXX_STANDARD " + flag.substr(3) + ")";
         }},
        {"poco_version", offsetof(portico_plugin_record, poco_version),
         [](const portico_plugin_record& host) {
             return std::string("fix: build the plugin against the Poco the host uses (") +
                    host.poco_version + ")";
         }},
        {"json_version", offsetof(portico_plugin_record, json_version),
         [](const portico_plugin_record& host) {
             return std::string("fix: build the plugin against the nlohmann_json the host uses (") +
                    host.json_version + ")";
         }},
        {"spdlog_version", offsetof(portico_plugin_record, spdlog_version),
         [](const portico_plugin_record& host) {
             return std::string("fix: build the plugin against the spdlog the host uses (") +
                    host.spdlog_version + ")";
         }},
    };
    return kFields;
}

bool fingerprintDiffers(const portico_plugin_record& plugin, const FingerprintField& f) {
    if (!has(plugin, f.offset + sizeof(const char*))) return false;
    const char* mine = field(plugin, f.offset);
    return mine == nullptr || std::string(mine) != field(hostRecordTemplate(), f.offset);
}

std::string abiVersion(const portico_plugin_record& record) {
    return std::to_string(record.abi_major) + "." + std::to_string(record.abi_minor);
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

// Calls the entry function of `handle`; returns the problems (empty: `record` is set).
std::vector<std::string> callEntry(void* handle, const portico_plugin_record*& record,
                                   std::vector<std::string>& fixes) {
    ::dlerror();
    void* symbol = ::dlsym(handle, PORTICO_ENTRY_SYMBOL);
    if (symbol == nullptr) {
        fixes = {
            "fix: add PORTICO_PLUGIN(...) to the plugin's entry.cpp, build it with "
            "portico_add_plugin() and rebuild"};
        return {"entry symbol '" PORTICO_ENTRY_SYMBOL
                "' not found; was the plugin built with PORTICO_PLUGIN(...)?"};
    }
    fixes = {kFixAuthor};
    try {
        record = reinterpret_cast<portico_plugin_entry_fn>(symbol)();
    } catch (const std::exception& e) {
        return {std::string("entry function threw: ") + e.what()};
    } catch (...) {
        return {"entry function threw: unknown exception"};
    }
    if (record == nullptr) return {"entry function returned no record"};
    return {};
}

// Checks a record the entry function returned; returns the problems and sets `fixes`.
std::vector<std::string> checkRecord(const portico_plugin_record& record,
                                     std::vector<std::string>& fixes) {
    if (record.magic != PORTICO_ABI_MAGIC) {
        char buf[80];
        std::snprintf(buf, sizeof buf, "bad magic: plugin 0x%08x, host 0x%08x", record.magic,
                      PORTICO_ABI_MAGIC);
        fixes = {kFixRebuild};
        return {buf};
    }
    std::vector<std::string> problems = recordMismatches(record);
    if (!problems.empty()) {
        fixes = recordFixes(record);
        return problems;
    }
    const portico_plugin_record wide = widenRecord(record);
    fixes = {kFixAuthor};
    if (wide.id == nullptr || wide.id[0] == '\0' || wide.create == nullptr ||
        wide.destroy == nullptr) {
        return {"record is incomplete (no id, create or destroy function)"};
    }
    if (!isPluginId(wide.id)) {
        fixes = {
            "fix: give the plugin an id that follows the rule in PORTICO_PLUGIN(...) and "
            "portico_add_plugin(), and name the file <id>.so"};
        return {std::string("file declares plugin id '") + wide.id +
                "', but a plugin id must match " + kPluginIdRule};
    }
    std::vector<std::string> commands = commandProblems(wide);
    if (!commands.empty()) {
        fixes = {
            "fix: correct the plugin's command table (see portico/sdk/command.hpp) and rebuild "
            "it, or report this to the plugin's author"};
    }
    return commands;
}

}  // namespace

const portico_plugin_record& hostRecordTemplate() noexcept {
    static const portico_plugin_record kRecord = {PORTICO_ABI_MAGIC,
                                                  sizeof(portico_plugin_record),
                                                  PORTICO_ABI_MAJOR,
                                                  PORTICO_ABI_MINOR,
                                                  PORTICO_FP_COMPILER,
                                                  PORTICO_FP_CXX_ABI,
                                                  PORTICO_FP_CXX_STANDARD,
                                                  PORTICO_FP_POCO,
                                                  PORTICO_FP_JSON,
                                                  PORTICO_FP_SPDLOG,
                                                  "",
                                                  "",
                                                  "",
                                                  "",
                                                  "{}",
                                                  nullptr,
                                                  nullptr,
                                                  nullptr,
                                                  0,
                                                  sizeof(portico_plugin_command)};
    return kRecord;
}

portico_plugin_record widenRecord(const portico_plugin_record& plugin) noexcept {
    // Defaults of every field: those of the host's own record (empty strings, a "{}" schema).
    portico_plugin_record wide = hostRecordTemplate();
    const std::size_t size = std::min<std::size_t>(plugin.record_size, sizeof wide);
    std::memcpy(&wide, &plugin, size);
    wide.record_size = static_cast<std::uint32_t>(size);
    return wide;
}

std::vector<std::string> recordMismatches(const portico_plugin_record& plugin) {
    const portico_plugin_record& host = hostRecordTemplate();
    std::vector<std::string> out;
    const std::string sizes = "record_size: plugin " + std::to_string(plugin.record_size) +
                              ", host " + std::to_string(host.record_size);
    if (plugin.record_size < kMinRecordSize) {
        out.push_back(sizes + " (shorter than any abi " + std::to_string(host.abi_major) +
                      ".x record: the file is damaged or was not built with PORTICO_PLUGIN)");
    } else if (plugin.record_size > host.record_size) {
        out.push_back(sizes + " (the plugin was built against a newer SDK than this host's, abi " +
                      abiVersion(host) + ")");
    }
    if (has(plugin, offsetof(portico_plugin_record, abi_major) + sizeof(std::uint32_t)) &&
        plugin.abi_major != host.abi_major) {
        out.push_back("abi_major: plugin " + std::to_string(plugin.abi_major) + ", host " +
                      std::to_string(host.abi_major));
    }
    if (has(plugin, offsetof(portico_plugin_record, abi_minor) + sizeof(std::uint32_t)) &&
        plugin.abi_major == host.abi_major && plugin.abi_minor > host.abi_minor) {
        out.push_back("abi_minor: plugin " + std::to_string(plugin.abi_minor) + ", host " +
                      std::to_string(host.abi_minor) + " (plugin needs a newer host)");
    }
    for (const auto& f : fingerprint()) {
        if (!fingerprintDiffers(plugin, f)) continue;
        out.push_back(std::string(f.name) + ": plugin " + quoted(field(plugin, f.offset)) +
                      ", host " + quoted(field(host, f.offset)));
    }
    return out;
}

std::vector<std::string> recordFixes(const portico_plugin_record& plugin) {
    const portico_plugin_record& host = hostRecordTemplate();
    std::vector<std::string> fixes;
    const bool newer = plugin.record_size > host.record_size ||
                       (plugin.abi_major == host.abi_major && plugin.abi_minor > host.abi_minor);
    if (plugin.record_size < kMinRecordSize || plugin.abi_major != host.abi_major) {
        fixes.push_back(kFixRebuild);
    } else if (newer) {
        fixes.push_back(kFixNewer);
    }
    for (const auto& f : fingerprint()) {
        if (fingerprintDiffers(plugin, f)) fixes.push_back(f.fix(host));
    }
    return fixes;
}

// The process-wide table of the plugin objects the system loader has in memory, one record per
// dlopen handle, pinned ones included. glibc hands back an object already loaded when the name,
// or the file's device and inode, match: a file replaced by a rename is therefore loaded under
// /proc/self/fd/<fd> when an object of its path is still in memory, and that descriptor stays
// open while the object is, so no later object gets the same name.
class LibraryLoader {
public:
    using Listener = std::shared_ptr<const std::function<void(const LibraryInfo&)>>;

    // Leaked on purpose: a library may be released by a static destructor after this is gone.
    static LibraryLoader& instance() {
        static auto* loader = new LibraryLoader;
        return *loader;
    }

    std::shared_ptr<PluginLibrary> open(const std::string& path, std::uint64_t generation) {
        std::vector<std::shared_ptr<PluginLibrary>> keep;  // released after the lock
        std::lock_guard<std::mutex> lock(mutex_);
        const int fd = openFile(path);
        FileIdentity file;
        std::string name;
        try {
            file = identify(path, fd);
            if (auto live = find(file, keep)) {
                ::close(fd);
                return live;
            }
            name = nameFor(path, fd);
        } catch (...) {
            ::close(fd);
            throw;
        }
        void* handle = dlopenAs(path, name, fd);
        auto known = std::find_if(objects_.begin(), objects_.end(),
                                  [handle](const Object& o) { return o.handle == handle; });
        if (known != objects_.end())
            return reopen(*known, path, handle, fd, file, generation, keep);
        Object object{handle, fd, name, file, dynamicSection(handle), {}, nullptr, {}};
        try {
            auto library = make(path, handle, file, generation);
            object.library = library;
            object.owner = library.get();
            objects_.push_back(std::move(object));
            return library;
        } catch (...) {
            ::dlclose(handle);
            if (stillLoaded(object.dynamic)) {
                // Refused, but the loader keeps it: its name stays reserved with its descriptor.
                object.pinned.path = path;
                object.pinned.pinned = true;
                objects_.push_back(std::move(object));
            } else {
                ::close(fd);
            }
            throw;
        }
    }

    std::vector<std::pair<const PluginLibrary*, LibraryInfo>> loaded() {
        std::lock_guard<std::mutex> lock(mutex_);
        std::vector<std::pair<const PluginLibrary*, LibraryInfo>> out;
        for (const auto& o : objects_) {
            // An owner being destroyed waits for the lock in close(), so it is still valid here.
            if (o.owner != nullptr) {
                out.emplace_back(o.owner, o.owner->info());
            } else {
                out.emplace_back(nullptr, o.pinned);
            }
        }
        return out;
    }

    void setListener(std::function<void(const LibraryInfo&)> listener) {
        std::lock_guard<std::mutex> lock(mutex_);
        listener_ =
            std::make_shared<const std::function<void(const LibraryInfo&)>>(std::move(listener));
    }

    // From ~PluginLibrary: dlcloses the object and tells the listener whether it left memory.
    void close(const PluginLibrary& library) noexcept {
        LibraryInfo info = library.info();
        Listener listener;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            auto it = std::find_if(objects_.begin(), objects_.end(),
                                   [&](const Object& o) { return o.handle == library.handle_; });
            ::dlclose(library.handle_);
            if (it == objects_.end() || it->owner != &library) return;  // taken over: still used
            if (stillLoaded(it->dynamic)) {
                info.pinned = true;
                it->owner = nullptr;
                it->pinned = info;
            } else {
                ::close(it->fd);
                objects_.erase(it);
            }
            listener = listener_;
        }
        if (!listener || !*listener) return;
        try {
            (*listener)(info);
        } catch (...) {
            // A log that fails must not take the host down.
        }
    }

private:
    struct Object {
        void* handle;
        int fd;            // open while the object is in memory
        std::string name;  // what it was loaded as: the path, or /proc/self/fd/<fd>
        FileIdentity file;
        const void* dynamic;  // its dynamic section, to find it among the loaded objects
        std::weak_ptr<PluginLibrary> library;
        const PluginLibrary* owner;  // null once closed and pinned
        LibraryInfo pinned;          // what it was, once pinned
    };

    static int openFile(const std::string& path) {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        struct stat info {};
        if (fd < 0 || ::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
            if (fd >= 0) ::close(fd);
            fail(path, {"plugin file not found"},
                 {"fix: check the file name and the plugin_dirs setting in the config"});
        }
        return fd;
    }

    static FileIdentity identify(const std::string& path, int fd) {
        struct stat info {};
        if (::fstat(fd, &info) != 0) fail(path, {"cannot read the file's status"}, {});
        FileIdentity file;
        file.device = static_cast<std::uint64_t>(info.st_dev);
        file.inode = static_cast<std::uint64_t>(info.st_ino);
        file.size = static_cast<std::int64_t>(info.st_size);
        file.mtime_ns =
            static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec;
        return file;
    }

    // The open library of `file`'s contents, or null. Refuses a loaded file rewritten in place:
    // the loader would hand back the old object, and the writes change code that is running.
    std::shared_ptr<PluginLibrary> find(const FileIdentity& file,
                                        std::vector<std::shared_ptr<PluginLibrary>>& keep) {
        for (const auto& o : objects_) {
            if (!o.file.sameFile(file)) continue;
            if (!(o.file == file)) {
                fail(o.owner != nullptr ? o.owner->path() : o.pinned.path,
                     {"the file was overwritten in place while the plugin is loaded (same inode, "
                      "new size or modification time)"},
                     {"fix: install a new version by writing it beside the old one and renaming "
                      "it over (mv, install); never copy onto a loaded plugin, then restart "
                      "portico to load this one"});
            }
            if (auto live = o.library.lock()) {
                keep.push_back(live);
                return live;
            }
        }
        return nullptr;
    }

    // The name to load `path` under: its own, unless an object in memory has that name (the
    // running version of a plugin whose file was replaced), then /proc/self/fd/<fd>.
    std::string nameFor(const std::string& path, int fd) const {
        const bool taken = std::any_of(objects_.begin(), objects_.end(),
                                       [&](const Object& o) { return o.name == path; });
        if (!taken) return path;
        if (::access("/proc/self/fd", X_OK) != 0) {
            fail(path,
                 {"the plugin changed, and without /proc it cannot be loaded beside the "
                  "version in memory"},
                 {"fix: restart portico to load the new version"});
        }
        return "/proc/self/fd/" + std::to_string(fd);
    }

    // dlopen under `name`; closes `fd` and throws when the loader refuses the file.
    static void* dlopenAs(const std::string& path, const std::string& name, int fd) {
        ::dlerror();
        void* handle = ::dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (handle != nullptr) return handle;
        const char* why = ::dlerror();
        std::string reason = why != nullptr ? why : "unknown dlopen error";
        for (auto at = reason.find(name); name != path && at != std::string::npos;
             at = reason.find(name, at + path.size())) {
            reason.replace(at, name.size(), path);
        }
        ::close(fd);
        fail(path, {"not a shared library or cannot be loaded: " + reason},
             {"fix: check that the file is a Portico plugin built for this machine and that the "
              "libraries it needs are installed (ldd shows what is missing)"});
    }

    // The loader handed back an object it still has (the same file, pinned or being closed):
    // a new library takes it over, and its own descriptor goes on reserving its name.
    std::shared_ptr<PluginLibrary> reopen(Object& known, const std::string& path, void* handle,
                                          int fd, const FileIdentity& file,
                                          std::uint64_t generation,
                                          std::vector<std::shared_ptr<PluginLibrary>>& keep) {
        ::close(fd);
        if (auto live = known.library.lock()) {
            keep.push_back(live);
            ::dlclose(handle);
            return live;
        }
        try {
            auto library = make(path, handle, file, generation);
            known.library = library;
            known.owner = library.get();
            return library;
        } catch (...) {
            ::dlclose(handle);
            throw;
        }
    }

    // Checks the record of a freshly opened object and wraps it. Throws PluginLoadError.
    static std::shared_ptr<PluginLibrary> make(const std::string& path, void* handle,
                                               const FileIdentity& file, std::uint64_t generation) {
        const portico_plugin_record* record = nullptr;
        std::vector<std::string> fixes;
        std::vector<std::string> problems = callEntry(handle, record, fixes);
        if (problems.empty()) problems = checkRecord(*record, fixes);
        if (!problems.empty()) fail(path, problems, fixes);
        const portico_plugin_record wide = widenRecord(*record);
        LibraryInfo info;
        info.id = wide.id;
        info.version = wide.version != nullptr ? wide.version : "";
        info.path = path;
        info.generation = generation;
        info.loaded_at = std::chrono::system_clock::now();
        return std::shared_ptr<PluginLibrary>(
            new PluginLibrary(handle, file, wide, std::move(info)));
    }

    static const void* dynamicSection(void* handle) {
        link_map* map = nullptr;
        if (::dlinfo(handle, RTLD_DI_LINKMAP, &map) != 0 || map == nullptr) return nullptr;
        return map->l_ld;
    }

    // True while an object with this dynamic section is still mapped into the process.
    static bool stillLoaded(const void* dynamic) {
        if (dynamic == nullptr) return false;
        auto visit = [](dl_phdr_info* info, std::size_t, void* data) {
            for (ElfW(Half) i = 0; i < info->dlpi_phnum; ++i) {
                const ElfW(Phdr)& phdr = info->dlpi_phdr[i];
                if (phdr.p_type == PT_DYNAMIC &&
                    info->dlpi_addr + phdr.p_vaddr == reinterpret_cast<std::uintptr_t>(data)) {
                    return 1;
                }
            }
            return 0;
        };
        return ::dl_iterate_phdr(visit, const_cast<void*>(dynamic)) != 0;
    }

    std::mutex mutex_;
    std::vector<Object> objects_;
    Listener listener_;
};

std::shared_ptr<PluginLibrary> PluginLibrary::open(const std::string& path,
                                                   std::uint64_t generation) {
    return LibraryLoader::instance().open(path, generation);
}

std::vector<std::pair<const PluginLibrary*, LibraryInfo>> PluginLibrary::loaded() {
    return LibraryLoader::instance().loaded();
}

void PluginLibrary::setCloseListener(std::function<void(const LibraryInfo&)> listener) {
    LibraryLoader::instance().setListener(std::move(listener));
}

PluginLibrary::PluginLibrary(void* handle, const FileIdentity& file,
                             const portico_plugin_record& record, LibraryInfo info)
    : handle_(handle),
      file_(file),
      record_(record),
      info_(std::move(info)),
      commands_(readCommands(record)) {}

PluginLibrary::~PluginLibrary() { LibraryLoader::instance().close(*this); }

LibraryInfo PluginLibrary::info() const {
    LibraryInfo info = info_;
    info.used = used_.load();
    return info;
}

std::vector<std::string> PluginLibrary::dependencies() const {
    std::vector<std::string> out;
    const std::string list = record_.dependencies != nullptr ? record_.dependencies : "";
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
    void* raw = record_.create(error, sizeof error);
    if (raw == nullptr) {
        throw PluginLoadError(path() + ": cannot create plugin '" + id() + "'\n  " +
                              (error[0] != '\0' ? error : "create returned null") +
                              "\n  fix: see the plugin's log and documentation");
    }
    used_ = true;
    // The entry macro converts to Plugin* before erasing the type, so this cast is exact.
    Plugin* plugin = static_cast<Plugin*>(raw);
    {
        std::lock_guard<std::mutex> lock(destroyMutex());
        destroyTable()[plugin] = record_.destroy;
    }
    return std::unique_ptr<Plugin, void (*)(Plugin*)>(plugin, &destroyPlugin);
}

}  // namespace portico::sdk
