// The data store's host side: migrations applied once, in one transaction, with their text
// pinned by a checksum; and `?` placeholders written as each dialect wants them.
#include "portico/sdk/data.hpp"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "portico/sdk/internal/migrations.hpp"
#include "temp_folder.hpp"

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using portico::sdk::Migration;
using portico::sdk::internal::applyMigrations;

namespace {

Poco::Data::Session openSqlite(const portico::tests::TempFolder& folder) {
    Poco::Data::SQLite::Connector::registerConnector();
    return Poco::Data::Session("SQLite", folder.path() + "/t.db");
}

}  // namespace

TEST_CASE("an edited applied migration and a failing migration stop start-up cleanly") {
    portico::tests::TempFolder folder;
    auto session = openSqlite(folder);
    const std::vector<Migration> v1 = {{1, "create a", "CREATE TABLE demo_a (x INTEGER);", ""}};
    applyMigrations(session, "sqlite", "demo", v1);
    applyMigrations(session, "sqlite", "demo", v1);  // applied once only

    const std::vector<Migration> edited = {
        {1, "create a", "CREATE TABLE demo_a (x INTEGER, y TEXT);", ""}};
    CHECK_THROWS_WITH(applyMigrations(session, "sqlite", "demo", edited),
                      Catch::Contains("plugins.demo: migration 1 \"create a\" was changed after "
                                      "it was applied"));

    const std::vector<Migration> failing = {v1[0],
                                            {2, "create b", "CREATE TABLE demo_b (x INTEGER);", ""},
                                            {3, "broken", "CREATE TABLE demo_c (x INTEGER;", ""}};
    CHECK_THROWS_WITH(applyMigrations(session, "sqlite", "demo", failing),
                      Catch::StartsWith("plugins.demo: migration 3 \"broken\" failed: ") &&
                          Catch::EndsWith("; no migration of this start was applied"));
    int tables = -1, recorded = -1;
    session << "SELECT COUNT(*) FROM sqlite_master WHERE name = 'demo_b'", into(tables), now;
    session << "SELECT COUNT(*) FROM portico_migrations WHERE plugin = 'demo'", into(recorded), now;
    CHECK(tables == 0);
    CHECK(recorded == 1);
}

TEST_CASE("placeholders are written as each dialect wants them") {
    struct Row {
        const char* text;
        const char* dialect;
        const char* out;
    };
    const Row rows[] = {
        {"SELECT a FROM t WHERE b = ? AND c = ?", "sqlite",
         "SELECT a FROM t WHERE b = ? AND c = ?"},
        {"SELECT a FROM t WHERE b = ? AND c = ?", "postgresql",
         "SELECT a FROM t WHERE b = $1 AND c = $2"},
        {"SELECT '?' FROM t WHERE b = ?", "postgresql", "SELECT '?' FROM t WHERE b = $1"},
        {"", "postgresql", ""},
    };
    for (const auto& row : rows) {
        CAPTURE(row.text, row.dialect);
        CHECK(portico::sdk::dialectSql(row.text, row.dialect) == row.out);
    }
}
