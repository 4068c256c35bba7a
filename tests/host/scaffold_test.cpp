#include "scaffold.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using portico::host::pluginClassName;
using portico::host::scaffoldFiles;
using portico::host::scaffoldIdProblem;
using portico::host::scaffoldTemplates;

namespace {

std::string readText(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

const std::string kRule =
    "^[a-z][a-z0-9_]*$ (lowercase letters, digits and underscores, starting with a letter)";

}  // namespace

TEST_CASE("the scaffold names the plugin class after the id in PascalCase") {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"hello", "HelloPlugin"},
        {"guest_book", "GuestBookPlugin"},
        {"web2_print", "Web2PrintPlugin"},
        {"a__b_", "ABPlugin"},
        {"x", "XPlugin"},
    };
    for (const auto& [id, name] : cases) CHECK(pluginClassName(id) == name);
}

TEST_CASE(
    "the scaffold refuses an id with the plugin id rule, a C++ keyword or a hidden namespace") {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"guestbook", ""},
        {"guest_book2", ""},
        {"Guest-Book",
         "plugin id must match " + kRule + ", got \"Guest-Book\"; try \"guest_book\""},
        {"9lives", "plugin id must match " + kRule + ", got \"9lives\""},
        {"", "plugin id must match " + kRule + ", got \"\""},
        {"bad\x1b[31m", "plugin id must match " + kRule + ", got \"bad\\x1b[31m\""},
        {"class",
         "plugin id \"class\" is a C++ keyword, and the id is also the namespace of the "
         "plugin's code; choose another id"},
        {"std",
         "plugin id \"std\" would hide the namespace std in the plugin's code (the id is also "
         "its namespace); choose another id"},
        {"sdk",
         "plugin id \"sdk\" would hide the namespace sdk in the plugin's code (the id is also "
         "its namespace); choose another id"},
    };
    for (const auto& [id, problem] : cases) {
        INFO(id);
        CHECK(scaffoldIdProblem(id) == problem);
    }
    CHECK_THROWS_AS(scaffoldFiles("Guest-Book"), std::invalid_argument);
}

TEST_CASE("the scaffold writes the house layout with the id in paths, namespace and class") {
    const auto files = scaffoldFiles("guest_book");
    std::vector<std::string> paths;
    for (const auto& file : files) paths.push_back(file.path);
    CHECK(paths == std::vector<std::string>{
                       ".clang-format",
                       ".gitignore",
                       "CMakeLists.txt",
                       "README.md",
                       "src/config.cpp",
                       "src/config.hpp",
                       "src/entry.cpp",
                       "src/guest_book_plugin.cpp",
                       "src/guest_book_plugin.hpp",
                       "test/guest_book_plugin_test.cpp",
                   });
    for (const auto& file : files) {
        INFO(file.path);
        CHECK(file.text.find("{{") == std::string::npos);
        CHECK(file.text.find("}}") == std::string::npos);
    }
    const auto text = [&](const std::string& path) {
        for (const auto& file : files) {
            if (file.path == path) return file.text;
        }
        return std::string();
    };
    CHECK(text("CMakeLists.txt").find("portico_add_plugin(guest_book\n") != std::string::npos);
    CHECK(text("CMakeLists.txt").find("find_package(Portico 0.1 REQUIRED)") != std::string::npos);
    CHECK(text("src/guest_book_plugin.hpp")
              .find("class GuestBookPlugin final : public sdk::Plugin {") != std::string::npos);
    CHECK(text("src/config.hpp").find("namespace portico::plugins::guest_book {") !=
          std::string::npos);
    CHECK(text("src/entry.cpp").find("\"guest_book\", \"0.1.0\",") != std::string::npos);
    CHECK(text("src/config.cpp").find("\"default\": \"Hello from guest_book\"") !=
          std::string::npos);
}

TEST_CASE("every file in host/scaffold is an embedded template, and .clang-format is the tree's") {
    const fs::path root = fs::path(PORTICO_SOURCE_DIR) / "host" / "scaffold";
    std::set<std::string> on_disk;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (entry.is_regular_file()) on_disk.insert(entry.path().lexically_relative(root).string());
    }
    std::set<std::string> embedded;
    for (const auto& tmpl : scaffoldTemplates()) {
        const std::string name = tmpl.name;
        if (name == ".clang-format") {
            CHECK(tmpl.text == readText(fs::path(PORTICO_SOURCE_DIR) / ".clang-format"));
            continue;
        }
        embedded.insert(name);
        CHECK(tmpl.text == readText(root / name));
    }
    CHECK(embedded == on_disk);
}
