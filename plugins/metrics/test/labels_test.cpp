#include "labels.hpp"

#include <catch2/catch.hpp>

using namespace portico::plugins::metrics;

TEST_CASE("methods fold to the known set plus OTHER") {
    struct Row {
        const char* in;
        const char* out;
    };
    const Row rows[] = {{"GET", "GET"},         {"HEAD", "HEAD"},      {"POST", "POST"},
                        {"PUT", "PUT"},         {"DELETE", "DELETE"},  {"PATCH", "PATCH"},
                        {"OPTIONS", "OPTIONS"}, {"PROPFIND", "OTHER"}, {"get", "OTHER"},
                        {"", "OTHER"}};
    for (const auto& row : rows) CHECK(std::string(foldMethod(row.in)) == row.out);
}

TEST_CASE("hosts fold to the configured ones plus _other, routes to their template") {
    const std::vector<std::string> hosts{"example.com", "www.example.com"};
    CHECK(foldHost("example.com", hosts) == "example.com");
    CHECK(foldHost("www.example.com", hosts) == "www.example.com");
    CHECK(foldHost("evil.example", hosts) == "_other");
    CHECK(foldHost("", hosts) == "_other");
    CHECK(routeLabel("GET /blog/*") == "GET /blog/*");
    CHECK(routeLabel("") == "_none");
}
