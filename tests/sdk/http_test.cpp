#include "portico/sdk/http.hpp"

#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "portico/testkit/test_host.hpp"

using portico::sdk::Headers;
using portico::sdk::Request;
using portico::sdk::Resource;
using portico::sdk::Response;

TEST_CASE("iequals compares ASCII case-insensitively", "[http]") {
    CHECK(portico::sdk::iequals("Content-Type", "content-type"));
    CHECK(portico::sdk::iequals("", ""));
    CHECK_FALSE(portico::sdk::iequals("Content-Type", "Content-Typ"));
    CHECK_FALSE(portico::sdk::iequals("a", "b"));
}

TEST_CASE("header names are matched regardless of case", "[http]") {
    Headers headers;
    headers.add("Content-Type", "text/plain");
    CHECK(headers.get("content-type") == std::optional<std::string>("text/plain"));
    CHECK(headers.has("CONTENT-TYPE"));
    CHECK_FALSE(headers.get("Content-Length").has_value());
    CHECK(headers.getOr("Content-Length", "0") == "0");
}

TEST_CASE("set replaces every field of a name in place, add keeps them", "[http]") {
    Headers headers;
    headers.add("Vary", "Accept");
    headers.add("Set-Cookie", "a=1");
    headers.add("set-cookie", "b=2");
    headers.add("X-Last", "1");
    CHECK(headers.fields().size() == 4);

    headers.set("Set-Cookie", "c=3");
    REQUIRE(headers.fields().size() == 3);
    CHECK(headers.fields()[1] == Headers::Field{"Set-Cookie", "c=3"});
    CHECK(headers.fields()[2] == Headers::Field{"X-Last", "1"});

    headers.set("New", "x");
    CHECK(headers.fields().back() == Headers::Field{"New", "x"});

    headers.remove("vary");
    CHECK_FALSE(headers.has("Vary"));
    CHECK(headers.fields().size() == 3);
}

TEST_CASE("query parameters are percent-decoded with plus as space", "[http]") {
    Request request;
    request.query = "name=J%C3%BCrgen+M%C3%BCller&empty=&flag&a%20b=c&x=1&x=2&bad=%zz%4";
    CHECK(request.queryParam("name") == std::optional<std::string>("J\xC3\xBCrgen M\xC3\xBCller"));
    CHECK(request.queryParam("empty") == std::optional<std::string>(""));
    CHECK(request.queryParam("flag") == std::optional<std::string>(""));
    CHECK(request.queryParam("a b") == std::optional<std::string>("c"));
    CHECK(request.queryParam("x") == std::optional<std::string>("1"));
    CHECK(request.queryParam("bad") == std::optional<std::string>("%zz%4"));
    CHECK_FALSE(request.queryParam("missing").has_value());
    CHECK_FALSE(Request{}.queryParam("x").has_value());
}

TEST_CASE("percentDecode keeps plus signs in paths", "[http]") {
    CHECK(portico::sdk::percentDecode("/a+b/%C3%A4%2f") == "/a+b/\xC3\xA4/");
    CHECK(portico::sdk::percentDecode("a+b", true) == "a b");
    CHECK(portico::sdk::percentDecode("100%") == "100%");
}

TEST_CASE("send sets status, content type and body and drops a resource", "[http]") {
    Response response;
    response.resource = std::make_shared<Resource>();
    response.headers.set("content-type", "text/html");
    response.send(201, "application/json", "{}");
    CHECK(response.status == 201);
    CHECK(response.headers.get("Content-Type") == std::optional<std::string>("application/json"));
    CHECK(response.headers.fields().size() == 1);
    CHECK(response.body == "{}");
    CHECK(response.resource == nullptr);
}

TEST_CASE("serve sets status 200 and the resource", "[http]") {
    Response response;
    response.status = 404;
    response.body = "old";
    auto resource = std::make_shared<Resource>();
    response.serve(resource);
    CHECK(response.status == 200);
    CHECK(response.body.empty());
    CHECK(response.resource == resource);
}

TEST_CASE("reason phrases cover the common status codes", "[http]") {
    const std::pair<int, const char*> table[] = {
        {200, "OK"},
        {204, "No Content"},
        {206, "Partial Content"},
        {301, "Moved Permanently"},
        {302, "Found"},
        {304, "Not Modified"},
        {307, "Temporary Redirect"},
        {308, "Permanent Redirect"},
        {400, "Bad Request"},
        {403, "Forbidden"},
        {404, "Not Found"},
        {405, "Method Not Allowed"},
        {408, "Request Timeout"},
        {413, "Content Too Large"},
        {414, "URI Too Long"},
        {429, "Too Many Requests"},
        {431, "Request Header Fields Too Large"},
        {500, "Internal Server Error"},
        {503, "Service Unavailable"},
        {999, "Unknown"},
    };
    for (const auto& [code, phrase] : table) {
        INFO(code);
        CHECK(std::string(portico::sdk::reasonPhrase(code)) == phrase);
    }
}

TEST_CASE("escapeControls shows every control character and invalid byte as a visible escape",
          "[http]") {
    using portico::sdk::escapeControls;
    struct Case {
        std::string in;
        std::string out;
    };
    const Case cases[] = {
        {"plain text, ümlaut €", "plain text, ümlaut €"},
        {"a\nb\r\tc", "a\\nb\\r\\tc"},
        {"back\\slash", "back\\\\slash"},
        {"\x1b[2J\x1b]0;title\x07", "\\x1b[2J\\x1b]0;title\\x07"},
        {std::string("nul\0end", 7), "nul\\x00end"},
        {"del\x7f", "del\\x7f"},
        {"c1 \xc2\x9b"
         "31m",
         "c1 \\u009b31m"},
        {"raw csi \x9b", "raw csi \\x9b"},
        {"bidi \xe2\x80\xae"
         "gnp.exe",
         "bidi \\u202egnp.exe"},
        {"sep \xe2\x80\xa8", "sep \\u2028"},
        {"overlong \xc0\xaf", "overlong \\xc0\\xaf"},
        {"cut \xe2\x82", "cut \\xe2\\x82"},
        {"surrogate \xed\xa0\x80", "surrogate \\xed\\xa0\\x80"},
        {"emoji \xf0\x9f\x98\x80", "emoji \xf0\x9f\x98\x80"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.in);
        CHECK(escapeControls(c.in) == c.out);
    }
}

TEST_CASE("hostWithoutPort drops the port, the brackets of an IPv6 literal and the case",
          "[http]") {
    using portico::sdk::hostWithoutPort;
    CHECK(hostWithoutPort("Example.COM:8080") == "example.com");
    CHECK(hostWithoutPort("example.com") == "example.com");
    CHECK(hostWithoutPort("[::1]:80") == "::1");
    CHECK(hostWithoutPort("[2001:DB8::1]") == "2001:db8::1");
    CHECK(hostWithoutPort("[::1") == "::1");
    CHECK(hostWithoutPort("") == "");
}

// The test kit fills Request::host as the host's parser does: an IPv6 Host once came out with
// its brackets in a plugin's test and without them in the served process.
TEST_CASE("the test kit's request host is the host's, for an IPv6 literal too", "[http]") {
    using portico::testkit::RequestBuilder;
    CHECK(RequestBuilder("GET", "/").header("Host", "[::1]:8080").build().host == "::1");
    CHECK(RequestBuilder("GET", "/").header("Host", "WWW.Example.com:80").build().host ==
          "www.example.com");
}
