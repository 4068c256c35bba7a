#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harness.hpp"

using namespace portico::tests;

namespace {

Server& echoServer() {
    static TempDir dir;
    static Server server(testConfig(dir, R"({
        "echo": {"early_header": "X-Early", "transform": true},
        "alpha": {"prefix": "/studio", "host": "studio.example.com", "greeting": "studio"}})"));
    return server;
}

}  // namespace

TEST_CASE("a route answers with its plugin's body, headers and a request id") {
    auto r = request(echoServer().port(), "GET", "/fixture");
    CHECK(r.status == 200);
    CHECK(r.body == "hello from echo");
    CHECK(r.header("content-type") == "text/plain; charset=utf-8");
    CHECK(r.header("content-length") == "15");
    CHECK(r.header("x-fixture") == "echo");
    CHECK(r.header("x-request-id").size() == 16);
}

TEST_CASE("HEAD works for every GET route with the GET's length and no body") {
    std::string raw = rawExchange(echoServer().port(),
                                  "HEAD /fixture HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    auto list = parseResponses(raw, true);
    REQUIRE(list.size() == 1);
    CHECK(list[0].status == 200);
    CHECK(list[0].header("content-length") == "15");
    CHECK(raw.substr(raw.find("\r\n\r\n") + 4).empty());
}

TEST_CASE("unknown paths get 404 and known paths with the wrong method 405 with Allow") {
    auto missing = request(echoServer().port(), "GET", "/nothing-here");
    CHECK(missing.status == 404);
    CHECK(missing.body == "404 Not Found\n");
    auto wrong = request(echoServer().port(), "DELETE", "/fixture");
    CHECK(wrong.status == 405);
    CHECK(wrong.header("allow") == "GET, HEAD");
    auto post_only = request(echoServer().port(), "GET", "/fixture/echo");
    CHECK(post_only.status == 405);
    CHECK(post_only.header("allow") == "POST");
}

TEST_CASE("an exception in a plugin becomes a 500 with an error id that is also logged") {
    auto r = request(echoServer().port(), "GET", "/fixture/boom");
    CHECK(r.status == 500);
    std::string id = r.header("x-error-id");
    REQUIRE(id.size() == 8);
    CHECK(r.body == "500 Internal Server Error\nerror id: " + id + "\n");
    CHECK(r.body.find("exploded") == std::string::npos);
    CHECK(echoServer().process().waitForOutput(
        "error " + id +
        ": plugin 'echo' failed in route GET /fixture/boom for GET "
        "/fixture/boom: fixture exploded on purpose"));
    CHECK(request(echoServer().port(), "GET", "/fixture").status == 200);
}

TEST_CASE("an HttpError from a handler becomes that status") {
    auto r = request(echoServer().port(), "GET", "/fixture/teapot");
    CHECK(r.status == 418);
    CHECK(r.body == "418 I'm a teapot\nshort and stout\n");
}

TEST_CASE("early hooks may answer before routing") {
    auto r = request(echoServer().port(), "GET", "/nothing-here", {{"X-Early", "1"}});
    CHECK(r.status == 299);
    CHECK(r.body == "early answer");
    CHECK(r.header("x-fixture") == "echo");
}

TEST_CASE("virtual hosts route to their own plugin, other hosts fall back to any-host routes") {
    auto studio = request(echoServer().port(), "GET", "/studio", {{"Host", "studio.example.com"}});
    CHECK(studio.status == 200);
    CHECK(studio.body == "studio from alpha");
    auto elsewhere = request(echoServer().port(), "GET", "/studio", {{"Host", "example.com"}});
    CHECK(elsewhere.status == 404);
    auto shared =
        request(echoServer().port(), "GET", "/fixture", {{"Host", "studio.example.com:8080"}});
    CHECK(shared.body == "hello from echo");
}

TEST_CASE("prefix routes match the prefix and everything below it") {
    CHECK(request(echoServer().port(), "GET", "/fixture/tree/a/b").body ==
          "tree /fixture/tree/a/b");
    CHECK(request(echoServer().port(), "GET", "/fixture/tree/").body == "tree /fixture/tree/");
    CHECK(request(echoServer().port(), "GET", "/fixture/treehouse").status == 404);
}

TEST_CASE("prebuilt resources carry a strong ETag, answer 304 and negotiate encodings") {
    int port = echoServer().port();
    auto plain = request(port, "GET", "/fixture/page");
    CHECK(plain.status == 200);
    CHECK(plain.header("content-type") == "text/html; charset=utf-8");
    CHECK(plain.body.find("<!-- echo --></body>") != std::string::npos);
    std::string etag = plain.header("etag");
    REQUIRE(etag.size() > 2);
    CHECK(etag.front() == '"');
    CHECK(plain.header("cache-control") == "no-cache");
    CHECK(plain.header("vary") == "Accept-Encoding");
    CHECK_FALSE(plain.has("content-encoding"));

    auto gz = request(port, "GET", "/fixture/page", {{"Accept-Encoding", "gzip"}});
    CHECK(gz.header("content-encoding") == "gzip");
    CHECK(gz.body.size() < plain.body.size());
    auto br = request(port, "GET", "/fixture/page", {{"Accept-Encoding", "gzip, br"}});
    CHECK(br.header("content-encoding") == "br");
    auto refused = request(port, "GET", "/fixture/page", {{"Accept-Encoding", "br;q=0, gzip"}});
    CHECK(refused.header("content-encoding") == "gzip");

    auto cached = request(port, "GET", "/fixture/page", {{"If-None-Match", etag}});
    CHECK(cached.status == 304);
    CHECK(cached.body.empty());
    CHECK(cached.header("etag") == etag);
    CHECK(cached.header("x-fixture") == "echo");
    auto stale = request(port, "GET", "/fixture/page", {{"If-None-Match", "\"other\""}});
    CHECK(stale.status == 200);
}

TEST_CASE("the request id from the client is honoured when sane, replaced otherwise") {
    int port = echoServer().port();
    auto kept = request(port, "GET", "/fixture/request", {{"X-Request-Id", "abc-123"}});
    CHECK(kept.header("x-request-id") == "abc-123");
    CHECK(nlohmann::json::parse(kept.body)["request_id"] == "abc-123");
    auto replaced = request(port, "GET", "/fixture/request", {{"X-Request-Id", "bad id<>"}});
    CHECK(replaced.header("x-request-id").size() == 16);
}

TEST_CASE("the request reaches handlers with decoded path, raw query, host and client") {
    auto r = request(echoServer().port(), "GET", "/fixture/request?x=1&y=%20",
                     {{"Host", "Example.COM:9000"}});
    auto j = nlohmann::json::parse(r.body);
    CHECK(j["path"] == "/fixture/request");
    CHECK(j["query"] == "x=1&y=%20");
    CHECK(j["host"] == "example.com");
    CHECK(j["client"] == "127.0.0.1");
}

TEST_CASE("a request without Host is a 400, a body over the limit is a 413") {
    int port = echoServer().port();
    auto no_host = parseResponses(rawExchange(port, "GET /fixture HTTP/1.1\r\n\r\n"));
    REQUIRE_FALSE(no_host.empty());
    CHECK(no_host[0].status == 400);
    auto echo = request(port, "POST", "/fixture/echo", {}, "ping");
    CHECK(echo.status == 200);
    CHECK(echo.body == "ping");
    auto big = request(port, "POST", "/fixture/echo", {}, std::string(1024 * 1024 + 1, 'x'));
    CHECK(big.status == 413);
}

TEST_CASE("one access-log line per request with method, host, path, status, bytes and id") {
    request(echoServer().port(), "GET", "/fixture?secret=1", {{"X-Request-Id", "log-me-1"}});
    REQUIRE(echoServer().process().waitForOutput(" id=log-me-1\n"));
    std::string out = echoServer().process().out();
    auto end = out.find(" id=log-me-1\n");
    auto start = out.rfind('\n', end) + 1;
    auto line = out.substr(start, out.find('\n', end) - start);
    CHECK(line.find("[access] GET localhost /fixture 200 15B ") != std::string::npos);
    CHECK(line.find("ms 127.0.0.1 id=log-me-1") != std::string::npos);
    CHECK(line.find("secret") == std::string::npos);
}

TEST_CASE("admin routes are served only on the admin listener, with the host's status") {
    TempDir dir;
    Server server(testConfig(dir, R"({"echo": {"admin_route": true, "health": "warn"},
                                      "alpha": {"prefix": "/a"}})",
                             R"(  "admin": {"port": 0})"));
    std::string out = server.process().out();
    auto at = out.find("admin listener on http://127.0.0.1:");
    REQUIRE(at != std::string::npos);
    int admin_port = std::stoi(out.substr(at + 35));
    auto status = request(admin_port, "GET", "/status");
    REQUIRE(status.status == 200);
    auto j = nlohmann::json::parse(status.body);
    CHECK(j["started"] == true);
    CHECK(j["draining"] == false);
    CHECK(j["version"] == "0.1.0");
    CHECK(j["plugins"] == nlohmann::json{{"echo", "started"}, {"alpha", "started"}});
    CHECK(j["checks"] == nlohmann::json{{"echo-check", "warn"}});
    CHECK_FALSE(status.has("x-fixture"));  // no header hooks on the admin listener
    CHECK(request(server.port(), "GET", "/status").status == 404);
    CHECK(request(admin_port, "GET", "/fixture").status == 404);
}

TEST_CASE("no admin listener is opened when no plugin mounts an admin route") {
    TempDir dir;
    Server server(testConfig(dir, R"({"echo": {}})", R"(  "admin": {"port": 0})"));
    CHECK(server.process().out().find("admin listener") == std::string::npos);
}

TEST_CASE("HTML transforms also run on dynamic text/html answers") {
    TempDir dir;
    Server server(
        testConfig(dir, R"({"echo": {"transform": true, "greeting": "<body>hi</body>"}})"));
    auto html = request(server.port(), "GET", "/fixture/html");
    CHECK(html.body == "<html><body>dynamic<!-- echo --></body></html>");
    CHECK(html.header("content-length") == std::to_string(html.body.size()));
    auto text = request(server.port(), "GET", "/fixture");
    CHECK(text.body == "<body>hi</body> from echo");  // text/plain: untouched
}
