#include "transport/request_parser.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using portico::host::transport::ParserLimits;
using portico::host::transport::RequestParser;

namespace {

struct Parsed {
    RequestParser::Result result;
    int status = 0;
    portico::sdk::Request request;
    std::size_t consumed = 0;
};

Parsed parse(const std::string& bytes, ParserLimits limits = {}) {
    RequestParser::configureLibrary(limits.max_header_bytes);
    RequestParser parser(limits);
    Parsed out;
    out.request.client_address = "192.0.2.1";
    parser.reset(out.request);
    out.result = parser.feed(bytes.data(), bytes.size(), out.consumed);
    out.status = parser.errorStatus();
    return out;
}

}  // namespace

TEST_CASE("a request line and fields become the SDK request") {
    auto p = parse(
        "GET /caf%C3%A9/a%20b?x=1&y=%20 HTTP/1.1\r\nHost: Example.COM:8080\r\n"
        "X-Request-Id: abc-123\r\nAccept: text/html\r\n\r\n");
    REQUIRE(p.result == RequestParser::Result::kComplete);
    CHECK(p.request.method == "GET");
    CHECK(p.request.target == "/caf%C3%A9/a%20b?x=1&y=%20");
    CHECK(p.request.path == "/caf\xC3\xA9/a b");
    CHECK(p.request.query == "x=1&y=%20");
    CHECK(p.request.host == "example.com");
    CHECK(p.request.request_id == "abc-123");
    CHECK(p.request.client_address == "192.0.2.1");
    CHECK(p.request.headers.getOr("Accept", "") == "text/html");
}

TEST_CASE("an absolute-form target names the host and path") {
    auto p = parse("GET http://Other.Example/x?y HTTP/1.1\r\nHost: a\r\n\r\n");
    REQUIRE(p.result == RequestParser::Result::kComplete);
    CHECK(p.request.host == "other.example");
    CHECK(p.request.path == "/x");
    CHECK(p.request.query == "y");
}

TEST_CASE("an insane X-Request-Id is replaced by a generated one") {
    for (const std::string& id :
         std::vector<std::string>{"", "has space", std::string(65, 'a'), "a/b", "<script>"}) {
        CAPTURE(id);
        auto p = parse("GET / HTTP/1.1\r\nHost: a\r\nX-Request-Id: " + id + "\r\n\r\n");
        REQUIRE(p.result == RequestParser::Result::kComplete);
        CHECK(p.request.request_id != id);
        CHECK(p.request.request_id.size() == 16);
    }
}

TEST_CASE("framing that two parsers could read differently is refused") {
    struct Row {
        const char* why;
        std::string bytes;
        int status;
    };
    const Row rows[] = {
        {"no Host in HTTP/1.1", "GET / HTTP/1.1\r\n\r\n", 400},
        {"two Host fields", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
        {"Content-Length with Transfer-Encoding",
         "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
         "0\r\n\r\n",
         400},
        {"two Content-Length fields",
         "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx", 400},
        {"obsolete line folding", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n", 400},
        {"a field name that is no token", "GET / HTTP/1.1\r\nHost: a\r\nX A: b\r\n\r\n", 400},
        {"a control character in a value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\x01\r\n\r\n", 400},
        {"a NUL in the path", "GET /a%00b HTTP/1.1\r\nHost: a\r\n\r\n", 400},
        {"an unknown expectation", "GET / HTTP/1.1\r\nHost: a\r\nExpect: magic\r\n\r\n", 417},
    };
    for (const auto& row : rows) {
        CAPTURE(row.why);
        auto p = parse(row.bytes);
        CHECK(p.result == RequestParser::Result::kError);
        CHECK(p.status == row.status);
    }
}

TEST_CASE("the limits answer 413, 414 and 431") {
    ParserLimits limits;
    limits.max_uri_bytes = 64;
    limits.max_header_count = 3;
    limits.max_body_bytes = 4;
    CHECK(parse("GET /" + std::string(100, 'a') + " HTTP/1.1\r\nHost: a\r\n\r\n", limits).status ==
          414);
    CHECK(parse("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits).status == 431);
    CHECK(parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n12345", limits).status ==
          413);
    auto chunked = parse(
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n12345\r\n0\r\n\r\n",
        limits);
    CHECK(chunked.status == 413);
}

TEST_CASE("pipelined requests are parsed one at a time") {
    const std::string two = "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n";
    RequestParser::configureLibrary(16 * 1024);
    ParserLimits limits;
    RequestParser parser(limits);
    portico::sdk::Request first, second;
    parser.reset(first);
    std::size_t used = 0;
    REQUIRE(parser.feed(two.data(), two.size(), used) == RequestParser::Result::kComplete);
    CHECK(first.path == "/1");
    CHECK(parser.keepAlive());
    parser.reset(second);
    std::size_t rest = 0;
    REQUIRE(parser.feed(two.data() + used, two.size() - used, rest) ==
            RequestParser::Result::kComplete);
    CHECK(second.path == "/2");
    CHECK(used + rest == two.size());
}

TEST_CASE("a request arriving byte by byte is the same request") {
    const std::string bytes = "POST /form HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello";
    RequestParser::configureLibrary(16 * 1024);
    ParserLimits limits;
    RequestParser parser(limits);
    portico::sdk::Request request;
    parser.reset(request);
    RequestParser::Result result = RequestParser::Result::kNeedMore;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        std::size_t used = 0;
        result = parser.feed(bytes.data() + i, 1, used);
        REQUIRE(used == 1);
        if (i + 1 < bytes.size()) REQUIRE(result == RequestParser::Result::kNeedMore);
    }
    CHECK(result == RequestParser::Result::kComplete);
    CHECK(request.body == "hello");
}
