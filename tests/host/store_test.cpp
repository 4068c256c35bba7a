#include "store/store.hpp"

#include <Poco/Data/Session.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "temp_folder.hpp"

namespace fs = std::filesystem;
using portico::host::DatabaseConfig;
using portico::host::Store;
using namespace Poco::Data::Keywords;

namespace {

// The data directory `dir` inside a temporary folder (`root`), so a test can move it away.
struct TempData {
    portico::tests::TempFolder folder;
    std::string root = folder.path();
    std::string dir = root + "/data";
};

DatabaseConfig sqlite() {
    DatabaseConfig config;
    config.url = "";
    config.pool_min = 1;
    config.pool_max = 4;
    config.busy_timeout_ms = 1000;
    return config;
}

unsigned modeOf(const std::string& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 0777u;
}

const std::vector<portico::sdk::Migration> kNotes = {
    {1, "create notes", "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL);", ""},
    {2, "add author", "ALTER TABLE notes ADD COLUMN author TEXT;", ""},
};

}  // namespace

TEST_CASE("the SQLite store creates nothing until used, then a 0600 file in a 0700 directory") {
    portico::host::registerDataConnectors();
    TempData temp;
    fs::create_directories(temp.dir);
    fs::permissions(temp.dir, fs::perms::all);  // as a careless operator left it
    CHECK(portico::host::makePrivateDir(temp.dir) == 0777u);
    Store store(sqlite(), temp.dir);
    CHECK_FALSE(store.opened());
    CHECK_FALSE(fs::exists(temp.dir + "/portico.db"));
    Poco::Data::Session session = store.session();
    CHECK(store.opened());
    CHECK(store.dialect() == "sqlite");
    CHECK(store.sqlitePath() == temp.dir + "/portico.db");
    CHECK(modeOf(temp.dir) == 0700u);
    CHECK(modeOf(temp.dir + "/portico.db") == 0600u);
}

TEST_CASE("migrations apply once each, in order, and a failing one changes nothing") {
    portico::host::registerDataConnectors();
    TempData temp;
    portico::host::makePrivateDir(temp.dir);
    Store store(sqlite(), temp.dir);
    store.migrate("notes", kNotes);
    store.migrate("notes", kNotes);  // nothing pending: no error, nothing applied twice
    CHECK(store.check().status == "pass");
    Poco::Data::Session s = store.session();
    s << "INSERT INTO notes (text, author) VALUES ('hi', 'ada')", now;
    int count = 0;
    s << "SELECT COUNT(*) FROM notes", into(count), now;
    CHECK(count == 1);

    auto broken = kNotes;
    broken.push_back({3, "broken", "CREATE TABLE more (x TEXT);\nNOT SQL AT ALL;", ""});
    CHECK_THROWS(store.migrate("notes", broken));
    int tables = -1;
    s << "SELECT COUNT(*) FROM sqlite_master WHERE name = 'more'", into(tables), now;
    CHECK(tables == 0);  // the failed migration's first statement was rolled back
}

TEST_CASE("a store whose SQLite file was replaced refuses sessions instead of losing writes") {
    portico::host::registerDataConnectors();
    TempData temp;
    portico::host::makePrivateDir(temp.dir);
    Store store(sqlite(), temp.dir);
    store.migrate("notes", kNotes);
    fs::rename(temp.dir, temp.root + "/moved");
    fs::create_directories(temp.dir);
    temp.folder.write("data/portico.db", "");
    CHECK_THROWS(store.session());
    CHECK(store.check().status == "fail");
}
