// The plugin loader with real .so files: one library per file contents, a file replaced by a
// rename loaded beside the old one, and the old one really gone once released.
#include "portico/internal/library.hpp"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "temp_folder.hpp"

using portico::sdk::LibraryInfo;
using portico::sdk::PluginLibrary;
using portico::sdk::PluginLoadError;
using portico::tests::TempFolder;
namespace fs = std::filesystem;

namespace {

std::string fixture(const std::string& version) {
    return std::string(PORTICO_FIXTURE_DIR) + "/hotswap-" + version + "/hotswap.so";
}

// Copies `source` beside `target` and renames it over, as an operator installs a new version.
void install(const std::string& source, const std::string& target) {
    fs::copy_file(source, target + ".new", fs::copy_options::overwrite_existing);
    fs::rename(target + ".new", target);
}

bool inMemory(const std::string& path, const std::string& version) {
    for (const auto& [library, info] : PluginLibrary::loaded()) {
        if (info.path == path && info.version == version) return true;
    }
    return false;
}

// Records what the loader reports when libraries are closed, while it lives.
class Closes {
public:
    Closes() {
        PluginLibrary::setCloseListener([this](const LibraryInfo& info) { seen_.push_back(info); });
    }
    ~Closes() { PluginLibrary::setCloseListener(nullptr); }
    const std::vector<LibraryInfo>& seen() const { return seen_; }

private:
    std::vector<LibraryInfo> seen_;
};

}  // namespace

TEST_CASE("an unchanged plugin file opens as the library already open") {
    TempFolder dir;
    const std::string path = dir.path() + "/hotswap.so";
    install(fixture("1.0.0"), path);
    auto first = PluginLibrary::open(path, 1);
    auto second = PluginLibrary::open(path, 2);
    CHECK(first == second);
    CHECK(second->info().generation == 1);  // still the one generation 1 loaded
}

TEST_CASE(
    "a plugin file replaced by a rename loads beside the old library, which unloads "
    "when released") {
    TempFolder dir;
    Closes closes;
    const std::string path = dir.path() + "/hotswap.so";
    install(fixture("1.0.0"), path);
    auto old_library = PluginLibrary::open(path, 1);
    auto old_plugin = old_library->create();

    install(fixture("2.0.0"), path);
    auto new_library = PluginLibrary::open(path, 2);
    REQUIRE(new_library != old_library);
    CHECK(std::string(old_library->record().version) == "1.0.0");
    CHECK(std::string(new_library->record().version) == "2.0.0");
    CHECK(new_library->info().generation == 2);
    auto new_plugin = new_library->create();
    CHECK(inMemory(path, "1.0.0"));
    CHECK(inMemory(path, "2.0.0"));

    old_plugin.reset();  // plugin objects go before their library
    old_library.reset();
    CHECK_FALSE(inMemory(path, "1.0.0"));
    REQUIRE(closes.seen().size() == 1);
    CHECK(closes.seen()[0].version == "1.0.0");
    CHECK(closes.seen()[0].used);
    CHECK_FALSE(closes.seen()[0].pinned);  // dlclose really unloaded it

    // The loader's name for the path is free again: a third version loads under it.
    install(fixture("1.0.0"), path);
    auto third = PluginLibrary::open(path, 3);
    CHECK(std::string(third->record().version) == "1.0.0");
    CHECK(inMemory(path, "2.0.0"));
}

TEST_CASE("a loaded plugin file overwritten in place is refused, naming the fix") {
    TempFolder dir;
    const std::string path = dir.path() + "/hotswap.so";
    install(fixture("1.0.0"), path);
    auto library = PluginLibrary::open(path, 1);
    {
        std::ofstream append(path, std::ios::app | std::ios::binary);
        append << "more bytes";  // same inode, new size
    }
    try {
        PluginLibrary::open(path, 2);
        FAIL("an overwritten file was accepted");
    } catch (const PluginLoadError& e) {
        const std::string what = e.what();
        CHECK(what.find(path + ": cannot load plugin\n  the file was overwritten in place while "
                               "the plugin is loaded") == 0);
        CHECK(what.find("fix: install a new version by writing it beside the old one and "
                        "renaming it over (mv, install)") != std::string::npos);
    }
}

TEST_CASE("every bundled plugin can be unloaded: no STB_GNU_UNIQUE symbol pins it") {
    Closes closes;
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(PORTICO_PLUGIN_DIR)) {
        if (entry.path().extension() == ".so") files.push_back(entry.path().string());
    }
    REQUIRE(files.size() >= 9);
    for (const auto& file : files) {
        auto library = PluginLibrary::open(file);
        library->create().reset();
    }
    REQUIRE(closes.seen().size() == files.size());
    for (const auto& info : closes.seen()) {
        INFO(info.path);
        CHECK_FALSE(info.pinned);
    }
}

TEST_CASE("a plugin built with GNU unique symbols is reported as pinned, not unloaded") {
    Closes closes;
    PluginLibrary::open(fixture("pinned"))->create().reset();
    REQUIRE(closes.seen().size() == 1);
    CHECK(closes.seen()[0].pinned);
    CHECK(inMemory(fixture("pinned"), "pinned"));  // listed as it is: still in memory
}
