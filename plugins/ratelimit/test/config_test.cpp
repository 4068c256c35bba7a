#include "config.hpp"

#include <catch2/catch.hpp>

using namespace portico::plugins::ratelimit;

TEST_CASE("Redis URLs are read with host, port, credentials and database") {
    struct Row {
        const char* text;
        const char* host;
        int port;
        const char* user;
        const char* password;
        int db;
    };
    const Row rows[] = {
        {"redis://127.0.0.1:6379/0", "127.0.0.1", 6379, "", "", 0},
        {"redis://redis", "redis", 6379, "", "", 0},
        {"redis://redis:6380/3", "redis", 6380, "", "", 3},
        {"redis://:s3cret@redis:6379", "redis", 6379, "", "s3cret", 0},
        {"redis://s3cret@redis", "redis", 6379, "", "s3cret", 0},
        {"redis://portico:p@ss@10.0.0.5:7000/1", "10.0.0.5", 7000, "portico", "p@ss", 1},
        {"redis://[::1]:6379/2", "::1", 6379, "", "", 2},
    };
    for (const auto& row : rows) {
        CAPTURE(row.text);
        auto url = RedisUrl::parse(row.text);
        REQUIRE(url);
        CHECK(url->host == row.host);
        CHECK(url->port == row.port);
        CHECK(url->user == row.user);
        CHECK(url->password == row.password);
        CHECK(url->db == row.db);
    }
}

TEST_CASE("text that is not a Redis URL is refused") {
    for (const char* text :
         {"", "redis://", "http://redis:6379", "redis://redis:", "redis://redis:0",
          "redis://redis:70000", "redis://redis:6379/x", "redis://:@redis", "redis://[::1",
          "redis://redis:63a9", "127.0.0.1:6379"}) {
        CAPTURE(text);
        CHECK_FALSE(RedisUrl::parse(text));
    }
}
