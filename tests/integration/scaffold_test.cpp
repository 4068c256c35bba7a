// `portico plugins new` through the real process: what it writes, what it refuses, and that
// `portico plugins` keeps listing. Building, testing and serving the written plugin is
// tests/sdk/scaffold_test.sh.
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "harness.hpp"

namespace fs = std::filesystem;
using namespace portico::tests;

namespace {

// Every file below `dir`, relative to it, sorted.
std::vector<std::string> filesBelow(const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        if (entry.is_regular_file()) out.push_back(entry.path().lexically_relative(dir).string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

const std::string kRule =
    "^[a-z][a-z0-9_]*$ (lowercase letters, digits and underscores, starting with a letter)";

}  // namespace

TEST_CASE("portico plugins new writes the plugin folder named after the id and the next steps") {
    TempDir dir;
    auto r = runPortico({"plugins", "new", "guestbook"}, {}, dir.path());
    INFO(r.out << r.err);
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    CHECK(filesBelow(dir.path() + "/guestbook") ==
          std::vector<std::string>{".clang-format", ".gitignore", "CMakeLists.txt", "README.md",
                                   "src/config.cpp", "src/config.hpp", "src/entry.cpp",
                                   "src/guestbook_plugin.cpp", "src/guestbook_plugin.hpp",
                                   "test/guestbook_plugin_test.cpp"});
    CHECK(r.out.find("wrote plugin guestbook into \"guestbook\":\n  .clang-format\n") == 0);
    CHECK(r.out.find("  cmake -S guestbook -B guestbook/build -DCMAKE_PREFIX_PATH=") !=
          std::string::npos);
    CHECK(r.out.find("then add guestbook/build/plugins to plugin_dirs") != std::string::npos);
    CHECK(readFile(dir.path() + "/guestbook/src/guestbook_plugin.hpp")
              .find("class GuestbookPlugin final : public sdk::Plugin {") != std::string::npos);
}

TEST_CASE("portico plugins new --dir takes a new or empty folder and refuses any other") {
    TempDir dir;
    SECTION("a new folder, parents included") {
        auto r = runPortico({"plugins", "new", "notes", "--dir", dir.path() + "/a/b"});
        CHECK(r.status == 0);
        CHECK(fs::exists(dir.path() + "/a/b/src/notes_plugin.cpp"));
    }
    SECTION("an empty folder") {
        fs::create_directory(dir.path() + "/empty");
        auto r = runPortico({"plugins", "new", "notes", "--dir=" + dir.path() + "/empty"});
        CHECK(r.status == 0);
        CHECK(fs::exists(dir.path() + "/empty/test/notes_plugin_test.cpp"));
    }
    SECTION("a folder with a file in it is left as it was") {
        dir.write("full/keep.txt", "mine");
        auto r = runPortico({"plugins", "new", "notes", "--dir", dir.path() + "/full"});
        CHECK(r.status == 1);
        CHECK(r.out.empty());
        CHECK(r.err == "plugins new: folder \"" + dir.path() +
                           "/full\" exists and is not empty; nothing was written (name a new or "
                           "empty folder with --dir)\n");
        CHECK(filesBelow(dir.path() + "/full") == std::vector<std::string>{"keep.txt"});
        CHECK(readFile(dir.path() + "/full/keep.txt") == "mine");
    }
    SECTION("a file") {
        auto file = dir.write("notes", "a file");
        auto r = runPortico({"plugins", "new", "notes"}, {}, dir.path());
        CHECK(r.status == 1);
        CHECK(r.err == "plugins new: \"notes\" exists and is not a folder\n");
        CHECK(readFile(file) == "a file");
    }
}

TEST_CASE("portico plugins new refuses a bad id with the plugin id rule and writes nothing") {
    struct Case {
        std::string id;
        std::string err;
    };
    const std::vector<Case> cases = {
        {"Guest-Book", "plugins new: plugin id must match " + kRule +
                           ", got \"Guest-Book\"; try \"guest_book\"\n"},
        {"2fa", "plugins new: plugin id must match " + kRule + ", got \"2fa\"\n"},
        {"namespace",
         "plugins new: plugin id \"namespace\" is a C++ keyword, and the id is also the "
         "namespace of the plugin's code; choose another id\n"},
    };
    for (const auto& c : cases) {
        INFO(c.id);
        TempDir dir;
        auto r = runPortico({"plugins", "new", c.id}, {}, dir.path());
        CHECK(r.status == 2);
        CHECK(r.out.empty());
        CHECK(r.err == c.err);
        CHECK(fs::is_empty(dir.path()));
    }
}

TEST_CASE("portico plugins new needs an id, and the listing options stay with the listing") {
    TempDir dir;
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"plugins", "new"}, "plugins new: name the plugin: portico plugins new ID [--dir DIR]\n"},
        {{"plugins", "neu", "x"}, "plugins: unknown subcommand 'neu'; did you mean 'new'?\n"},
        {{"plugins", "--dir", "x"}, "plugins: --dir belongs to 'portico plugins new ID'\n"},
        {{"plugins", "new", "x", "--schema", "echo"},
         "plugins new: --schema does not apply to 'new'\n"},
    };
    for (const auto& [args, err] : cases) {
        INFO(args.back());
        auto r = runPortico(args, {}, dir.path());
        CHECK(r.status == 2);
        CHECK(r.err == err);
    }
    auto extra = runPortico({"plugins", "new", "x", "y"}, {}, dir.path());
    CHECK(extra.status == 2);
    CHECK(extra.err.find("portico: unexpected argument 'y' for 'plugins'") == 0);
    CHECK(fs::is_empty(dir.path()));
}

TEST_CASE("portico plugins still lists, and its help documents new with the id rule") {
    TempDir dir;
    auto file = dir.write("portico.json", testConfig(dir, R"({"echo": {}})"));
    auto list = runPortico({"plugins", "--config", file});
    CHECK(list.status == 0);
    CHECK(list.out.find("ID               VERSION    ABI    ENABLED   SUMMARY") == 0);
    auto help = runPortico({"plugins", "--help"});
    CHECK(help.status == 0);
    CHECK(help.out.find("       portico plugins new ID [--dir DIR]\n") != std::string::npos);
    CHECK(help.out.find("  --dir DIR       with new: the folder to write the plugin into\n") !=
          std::string::npos);
    CHECK(help.out.find(kRule) != std::string::npos);
    auto overview = runPortico({"--help"});
    CHECK(overview.out.find("  plugins        list the plugins found, print one's config schema, "
                            "or start a new plugin\n") != std::string::npos);
}
