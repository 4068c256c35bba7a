#include "portico/sdk/redirect.hpp"

#include <catch2/catch.hpp>

using namespace portico::sdk;

namespace {

Request requestFor(std::string target, std::string path) {
    Request req;
    req.method = "GET";
    const auto q = target.find('?');
    if (q != std::string::npos) req.query = target.substr(q + 1);
    req.target = std::move(target);
    req.path = std::move(path);
    return req;
}

}  // namespace

TEST_CASE("the origin form of a target is its path and query as sent") {
    struct Row {
        const char* target;
        const char* origin;
    };
    const Row rows[] = {
        {"/a?x=1", "/a?x=1"},
        {"/caf%C3%A9/", "/caf%C3%A9/"},
        {"http://example.com:8080/a/b?x=1", "/a/b?x=1"},
        {"https://example.com?x=1", "/?x=1"},
        {"http://example.com", "/"},
        {"http://example.com#frag", "/"},
        {"*", "/"},
        {"", "/"},
        {"example.com", "/"},
        // A leading "//" would make the Location a reference to another host.
        {"//evil.example/de/about", "/evil.example/de/about"},
        {"///evil.example", "/evil.example"},
        {"http://example.com//evil.example/x?y", "/evil.example/x?y"},
        {"//", "/"},
        {"/a//b", "/a//b"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.target);
        CHECK(originForm(row.target) == row.origin);
    }
}

TEST_CASE("a redirect sets status, Location and a short body and drops a resource") {
    struct Row {
        int status;
        const char* body;
    };
    const Row rows[] = {{301, "301 Moved Permanently\n"},
                        {302, "302 Found\n"},
                        {303, "303 See Other\n"},
                        {307, "307 Temporary Redirect\n"},
                        {308, "308 Permanent Redirect\n"}};
    for (const auto& row : rows) {
        CAPTURE(row.status);
        Response res;
        res.resource = std::make_shared<Resource>();
        res.headers.set("Cache-Control", "no-cache");
        redirect(res, row.status, "/en/");
        CHECK(res.status == row.status);
        CHECK(res.headers.get("Location") == "/en/");
        CHECK(res.headers.get("Content-Type") == "text/plain; charset=utf-8");
        CHECK(res.headers.get("Cache-Control") == "no-cache");
        CHECK(res.body == row.body);
        CHECK(res.resource == nullptr);
    }
    Response res;
    CHECK_THROWS_WITH(redirect(res, 200, "/"),
                      "redirect: status must be 301, 302, 303, 307 or 308, got 200");
    CHECK_THROWS_WITH(redirect(res, 301, "/a\r\nSet-Cookie: x=1"),
                      "redirect: location holds a control character, got "
                      "\"/a\\r\\nSet-Cookie: x=1\"");
    CHECK(res.status == 200);
}

TEST_CASE("a path without its trailing slash is redirected only when the slashed path exists") {
    const auto exists = [](const std::string& path) {
        return path == "/de/about/" || path == "/caf\xC3\xA9/" || path == "/a/";
    };
    struct Row {
        const char* target;
        const char* path;      // decoded, as the host's parser gives it
        const char* location;  // "" = no redirect
    };
    const Row rows[] = {
        {"/de/about", "/de/about", "/de/about/"},
        {"/de/about?x=1&y=2", "/de/about", "/de/about/?x=1&y=2"},
        {"/caf%C3%A9", "/caf\xC3\xA9", "/caf%C3%A9/"},
        {"http://example.com/a?x", "/a", "/a/?x"},
        {"/de/about/", "/de/about/", ""},
        {"/missing", "/missing", ""},
        {"/", "/", ""},
    };
    for (const auto& row : rows) {
        CAPTURE(row.target);
        Response res;
        const bool answered =
            redirectToTrailingSlash(requestFor(row.target, row.path), res, exists);
        CHECK(answered == (row.location[0] != '\0'));
        if (answered) {
            CHECK(res.status == 301);
            CHECK(res.headers.get("Location") == row.location);
            CHECK(res.body == "301 Moved Permanently\n");
        } else {
            CHECK(res.status == 200);
            CHECK_FALSE(res.headers.has("Location"));
        }
    }
}
