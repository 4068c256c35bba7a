#include "route_table.hpp"

#include <catch2/catch.hpp>

using portico::host::Route;
using portico::host::RouteTable;

namespace {

Route route(const std::string& method, const std::string& path, bool prefix,
            const std::string& host, const std::string& plugin) {
    Route r;
    r.spec.method = method;
    r.spec.path = path;
    r.spec.prefix = prefix;
    r.spec.host = host;
    r.plugin = plugin;
    return r;
}

}  // namespace

TEST_CASE("the route table picks exact before prefix, longest prefix, own host before any host") {
    RouteTable table;
    REQUIRE_FALSE(table.add(route("GET", "/", true, "", "pages")));
    REQUIRE_FALSE(table.add(route("GET", "/static", true, "", "assets")));
    REQUIRE_FALSE(table.add(route("GET", "/static/app.css", false, "", "exact")));
    REQUIRE_FALSE(table.add(route("POST", "/contact", false, "", "contact")));
    REQUIRE_FALSE(table.add(route("GET", "/", true, "studio.example.com", "studio")));

    struct Case {
        std::string host, method, path, plugin;
    };
    const std::vector<Case> cases = {
        {"example.com", "GET", "/", "pages"},
        {"example.com", "GET", "/about/", "pages"},
        {"example.com", "GET", "/static", "assets"},
        {"example.com", "GET", "/static/x.js", "assets"},
        {"example.com", "GET", "/staticky", "pages"},
        {"example.com", "GET", "/static/app.css", "exact"},
        {"example.com", "HEAD", "/static/app.css", "exact"},
        {"example.com", "POST", "/contact", "contact"},
        {"studio.example.com", "GET", "/anything", "studio"},
        {"studio.example.com", "POST", "/contact", "contact"},
    };
    for (const auto& c : cases) {
        INFO(c.host << " " << c.method << " " << c.path);
        auto match = table.find(c.host, c.method, c.path);
        REQUIRE(match.route);
        CHECK(match.route->plugin == c.plugin);
    }
}

TEST_CASE("a known path with another method gives the allowed methods, HEAD with GET") {
    RouteTable table;
    REQUIRE_FALSE(table.add(route("GET", "/a", false, "", "p")));
    REQUIRE_FALSE(table.add(route("PUT", "/a", false, "", "p")));
    auto match = table.find("h", "DELETE", "/a");
    CHECK_FALSE(match.route);
    CHECK(match.allowed == std::vector<std::string>{"GET", "HEAD", "PUT"});
    auto head = table.find("h", "HEAD", "/a");
    REQUIRE(head.route);
    CHECK(head.head_via_get);
    auto none = table.find("h", "GET", "/b");
    CHECK_FALSE(none.route);
    CHECK(none.allowed.empty());
}

TEST_CASE("registering the same host, method, path and kind twice is a conflict") {
    RouteTable table;
    REQUIRE_FALSE(table.add(route("GET", "/x", false, "", "first")));
    auto conflict = table.add(route("GET", "/x", false, "", "second"));
    REQUIRE(conflict);
    CHECK(*conflict == "route GET /x is already registered by plugin 'first'");
    CHECK_FALSE(table.add(route("GET", "/x", true, "", "prefix-is-different")));
    CHECK_FALSE(table.add(route("GET", "/x", false, "other.host", "host-is-different")));
    auto prefixed = table.add(route("GET", "/x", true, "", "third"));
    REQUIRE(prefixed);
    CHECK(*prefixed == "route GET /x/* is already registered by plugin 'prefix-is-different'");
    CHECK(table.size() == 3);
}
