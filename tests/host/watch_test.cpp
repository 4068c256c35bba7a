// The inotify watcher of `serve --watch`, on real folders: what an editor's save, a new folder
// and a config saved by rename look like to it, and that a burst of writes is one change.
#include "watch.hpp"

#include <catch2/catch.hpp>
#include <condition_variable>
#include <filesystem>
#include <mutex>

#include "temp_folder.hpp"

namespace fs = std::filesystem;
using portico::host::FileWatcher;
using portico::tests::TempFolder;

namespace {

// The paths a watcher reported, with a bounded wait for the next one.
class Changes {
public:
    std::function<void(const std::string&)> sink() {
        return [this](const std::string& path) {
            std::lock_guard<std::mutex> lock(mutex_);
            paths_.push_back(path);
            cv_.notify_all();
        };
    }
    /// Waits until `count` changes were reported; false when they were not within 10 s.
    bool waitFor(std::size_t count) {
        std::unique_lock<std::mutex> lock(mutex_);
        return cv_.wait_for(lock, std::chrono::seconds(10), [&] { return paths_.size() >= count; });
    }
    std::vector<std::string> paths() {
        std::lock_guard<std::mutex> lock(mutex_);
        return paths_;
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<std::string> paths_;
};

// Long enough that the few writes of one step always fall within it.
constexpr std::chrono::milliseconds kQuiet{400};

void renameOver(const TempFolder& dir, const std::string& name, const std::string& text) {
    const std::string temp = "." + name + ".tmp";
    dir.write(temp, text);
    fs::rename(dir.path() + "/" + temp, dir.path() + "/" + name);
}

}  // namespace

TEST_CASE("the watcher reports a save by rename once, naming the page and not the temporary file") {
    TempFolder dir;
    fs::create_directories(dir.path() + "/www/content");
    dir.write("www/content/a.md", "one");
    Changes changes;
    FileWatcher watcher([&] { return std::vector<std::string>{dir.path() + "/www"}; }, kQuiet,
                        changes.sink());
    const std::string temp = dir.write("www/content/.a.md.swp", "two");
    fs::rename(temp, dir.path() + "/www/content/a.md");
    dir.write("www/content/b.md", "three");
    dir.write("www/content/a.md~", "backup");
    REQUIRE(changes.waitFor(1));
    CHECK(changes.paths().front() == dir.path() + "/www/content/a.md");
    dir.write("www/content/b.md", "four");  // the next save is the next change
    REQUIRE(changes.waitFor(2));
    CHECK(changes.paths().size() == 2);
    CHECK(changes.paths()[1] == dir.path() + "/www/content/b.md");
}

TEST_CASE("the watcher follows folders created after it started") {
    TempFolder dir;
    fs::create_directories(dir.path() + "/www");
    Changes changes;
    FileWatcher watcher([&] { return std::vector<std::string>{dir.path() + "/www"}; }, kQuiet,
                        changes.sink());
    fs::create_directories(dir.path() + "/www/notes/first");
    dir.write("www/notes/first/index.md", "new");
    REQUIRE(changes.waitFor(1));
    dir.write("www/notes/first/index.md", "edited");
    REQUIRE(changes.waitFor(2));
    CHECK(changes.paths()[1] == dir.path() + "/www/notes/first/index.md");
    fs::create_directories(dir.path() + "/www/notes/second");
    REQUIRE(changes.waitFor(3));
    dir.write("www/notes/second/index.md", "newer");
    REQUIRE(changes.waitFor(4));
    CHECK(changes.paths()[3] == dir.path() + "/www/notes/second/index.md");
}

TEST_CASE(
    "a file root is watched through its folder: a rename over it counts, its neighbours do not") {
    TempFolder dir;
    dir.write("portico.json", "{}");
    Changes changes;
    std::vector<std::string> roots{dir.path() + "/portico.json", dir.path() + "/.env"};
    std::mutex roots_mutex;
    FileWatcher watcher(
        [&] {
            std::lock_guard<std::mutex> lock(roots_mutex);
            return roots;
        },
        kQuiet, changes.sink());
    dir.write("notes.txt", "not watched");
    renameOver(dir, "portico.json", "{\"a\": 1}");
    REQUIRE(changes.waitFor(1));
    CHECK(changes.paths() == std::vector<std::string>{dir.path() + "/portico.json"});
    dir.write(".env", "SITE_URL=http://localhost:8080\n");  // hidden, but a root by name
    REQUIRE(changes.waitFor(2));
    CHECK(changes.paths()[1] == dir.path() + "/.env");

    SECTION("a root named after a reload is watched after refresh()") {
        fs::create_directories(dir.path() + "/locales");
        {
            std::lock_guard<std::mutex> lock(roots_mutex);
            roots.push_back(dir.path() + "/locales");
        }
        watcher.refresh();
        // refresh() is asynchronous: write until the watcher reports the new folder.
        bool seen = false;
        for (int i = 0; i < 20 && !seen; ++i) {
            dir.write("locales/en.json", std::to_string(i));
            seen = changes.waitFor(3);
        }
        REQUIRE(seen);
        CHECK(changes.paths()[2] == dir.path() + "/locales/en.json");
    }
}
