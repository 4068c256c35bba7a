// The event-driven transport through the real process: HTTP/1.1 framing, limits, slow clients,
// shutdown and reload under load.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "harness.hpp"

using namespace portico::tests;
using Clock = std::chrono::steady_clock;

namespace {

std::string get(const std::string& target, const std::string& extra = "") {
    return "GET " + target + " HTTP/1.1\r\nHost: a\r\n" + extra + "\r\n";
}

std::string serverBlock(const std::string& fields) { return "  \"server\": {" + fields + "}"; }

}  // namespace

TEST_CASE("keep-alive connections answer pipelined requests in order, HEAD without a body") {
    TempDir dir;
    Server server(testConfig(dir, R"({"echo": {}, "alpha": {"prefix": "/a"}})"));
    Client c(server.port());
    REQUIRE(c.connected());
    c.send(get("/fixture") + get("/a") + "HEAD /fixture HTTP/1.1\r\nHost: a\r\n\r\n" +
           get("/fixture/teapot") + get("/a"));
    auto r = c.responses(5, false);
    REQUIRE(r.size() >= 2);
    CHECK(r[0].status == 200);
    CHECK(r[0].body == "hello from echo");
    CHECK(r[1].body == "hello from alpha");
    CHECK(r[0].has("date"));
    CHECK_FALSE(r[0].has("server"));
    CHECK_FALSE(r[0].has("connection"));
    // The HEAD answer has the GET's length but no body; parse the rest knowing that.
    std::string rest = c.data();
    std::size_t head_at = rest.find("HTTP/1.1 200", rest.find("hello from alpha"));
    REQUIRE(head_at != std::string::npos);
    auto head = parseResponses(rest.substr(head_at), true);
    REQUIRE(head.size() >= 1);
    CHECK(head[0].header("content-length") == "15");
    CHECK(head[0].body.empty());
    std::size_t teapot_at = rest.find("HTTP/1.1 418");
    REQUIRE(teapot_at != std::string::npos);
    auto tail = parseResponses(rest.substr(teapot_at));
    REQUIRE(tail.size() == 2);
    CHECK(tail[1].body == "hello from alpha");
    CHECK_FALSE(c.closesWithin(std::chrono::milliseconds(200)));  // still open for more
}

TEST_CASE("chunked bodies, 100-continue, absolute-form targets and HTTP/1.0 are understood") {
    TempDir dir;
    Server server(testConfig(dir, R"({"echo": {}})"));
    SECTION("a chunked request body is decoded") {
        Client c(server.port());
        c.send(
            "POST /fixture/echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
            "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n");
        auto r = c.responses(1);
        REQUIRE(r.size() == 1);
        CHECK(r[0].status == 200);
        CHECK(r[0].body == "hello, world");
    }
    SECTION("Expect: 100-continue gets an interim answer before the body is sent") {
        Client c(server.port());
        c.send(
            "POST /fixture/echo HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n"
            "Expect: 100-continue\r\n\r\n");
        auto until = Clock::now() + std::chrono::seconds(5);
        while (c.data().find("\r\n\r\n") == std::string::npos && Clock::now() < until) {
            c.readSome(std::chrono::milliseconds(50));
        }
        CHECK(c.data() == "HTTP/1.1 100 Continue\r\n\r\n");
        c.clear();
        c.send("ping");
        auto r = c.responses(1);
        REQUIRE(r.size() == 1);
        CHECK(r[0].body == "ping");
    }
    SECTION("an unknown expectation is a 417") {
        auto raw = rawExchange(server.port(),
                               "POST /fixture/echo HTTP/1.1\r\nHost: a\r\n"
                               "Content-Length: 1\r\nExpect: magic\r\n\r\nx");
        CHECK(raw.rfind("HTTP/1.1 417 ", 0) == 0);
    }
    SECTION("an absolute-form target names the host") {
        auto r = parseResponses(
            rawExchange(server.port(),
                        "GET http://A.example:8080/fixture HTTP/1.1\r\nHost: ignored\r\n"
                        "Connection: close\r\n\r\n"));
        REQUIRE(r.size() == 1);
        CHECK(r[0].status == 200);
        CHECK(r[0].body == "hello from echo");
    }
    SECTION("any token is a method: one the parser library does not know reaches routing") {
        auto r = parseResponses(rawExchange(
            server.port(), "\r\nBREW /fixture HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"));
        REQUIRE(r.size() == 1);
        CHECK(r[0].status == 405);
        CHECK(r[0].header("allow") == "GET, HEAD");
        auto bad = parseResponses(rawExchange(server.port(), "GE(T /fixture HTTP/1.1\r\n\r\n"));
        REQUIRE(bad.size() == 1);
        CHECK(bad[0].status == 400);
    }
    SECTION("HTTP/1.0 closes unless keep-alive is asked for") {
        auto r = parseResponses(rawExchange(server.port(), "GET /fixture HTTP/1.0\r\n\r\n"));
        REQUIRE(r.size() == 1);
        CHECK(r[0].header("connection") == "close");
        Client c(server.port());
        c.send("GET /fixture HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        auto k = c.responses(1);
        REQUIRE(k.size() == 1);
        CHECK(k[0].header("connection") == "keep-alive");
    }
}

TEST_CASE("ambiguous framing is refused with 400 and the connection closed") {
    TempDir dir;
    Server server(testConfig(dir, R"({"echo": {}})"));
    struct Case {
        const char* what;
        std::string bytes;
    };
    std::vector<Case> cases = {
        {"Content-Length with Transfer-Encoding",
         "POST /fixture/echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n"
         "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"},
        {"two Content-Length fields",
         "POST /fixture/echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n"
         "abcd"},
        {"a malformed Content-Length",
         "POST /fixture/echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3x\r\n\r\nabc"},
        {"a negative Content-Length",
         "POST /fixture/echo HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n"},
        {"obsolete line folding",
         "GET /fixture HTTP/1.1\r\nHost: a\r\nX-Long: one\r\n two\r\n\r\n"},
        {"a missing Host", "GET /fixture HTTP/1.1\r\n\r\n"},
        {"two Host fields", "GET /fixture HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"},
        {"a space before the colon", "GET /fixture HTTP/1.1\r\nHost : a\r\n\r\n"},
        // http-parser honours "Content-Length :" for framing; the rest would be a second request
        {"a space before the colon of Content-Length",
         "POST /fixture/echo HTTP/1.1\r\nHost: a\r\nContent-Length : " +
             std::to_string(get("/fixture/teapot").size()) + "\r\n\r\n" + get("/fixture/teapot")},
        {"a space before the colon of Transfer-Encoding",
         "POST /fixture/echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n"
         "0\r\n\r\n"},
        {"a tab before the colon", "GET /fixture HTTP/1.1\r\nHost: a\r\nX-A\t: b\r\n\r\n"},
        {"a non-token character in a name", "GET /fixture HTTP/1.1\r\nHost: a\r\nX(A): b\r\n\r\n"},
        {"a control character in a value",
         "GET /fixture HTTP/1.1\r\nHost: a\r\nX-A: b\x01c\r\n\r\n"},
        {"an escape character in a value",
         "GET /fixture HTTP/1.1\r\nHost: a\r\nUser-Agent: \x1b[2J\r\n\r\n"},
        {"a relative target", "GET fixture HTTP/1.1\r\nHost: a\r\n\r\n"},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        // No Connection: close is sent: the server must close on its own.
        Client client(server.port());
        client.send(c.bytes + get("/fixture"));
        auto r = client.responses(2, false, std::chrono::seconds(5));
        REQUIRE(r.size() == 1);
        CHECK(r[0].status == 400);
        CHECK(r[0].header("connection") == "close");
        CHECK(client.closesWithin(std::chrono::seconds(5)));
    }
}

TEST_CASE("trailer fields never become request headers and count against the header limit") {
    TempDir dir;
    Server server(
        testConfig(dir, R"({"echo": {}})",
                   serverBlock(R"("max_header_bytes": 4096, "trusted_proxies": "127.0.0.1")")));
    const std::string chunked_get =
        "GET /fixture/request HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
        "X-Forwarded-For: 198.51.100.1\r\n\r\n0\r\n";
    SECTION("a trailer cannot add or replace a header, nor rename the client") {
        Client client(server.port());
        client.send(chunked_get +
                    "X-Forwarded-For: 203.0.113.66\r\nContent-Type: text/html\r\n"
                    "X-Smuggled: yes\r\n\r\n");
        auto r = client.responses(1);
        REQUIRE(r.size() == 1);
        REQUIRE(r[0].status == 200);
        auto doc = nlohmann::json::parse(r[0].body);
        CHECK(doc["client"] == "198.51.100.1");
        for (const auto& field : doc["headers"]) {
            CAPTURE(field.dump());
            CHECK(field[0] != "X-Smuggled");
            CHECK(field[0] != "Content-Type");
            CHECK(field[1] != "203.0.113.66");
        }
    }
    SECTION("trailers past the header limit get 431") {
        std::string trailers;
        for (int i = 0; i < 20; ++i)
            trailers += "X-Pad-" + std::to_string(i) + ": " + std::string(820, 'p') + "\r\n";
        Client client(server.port());
        client.send(chunked_get + trailers + "\r\n");
        auto r = client.responses(1);
        REQUIRE(r.size() == 1);
        CHECK(r[0].status == 431);
        CHECK(client.closesWithin(std::chrono::seconds(5)));
    }
}

TEST_CASE("a route that expects no body refuses one with 413 before reading it") {
    TempDir dir;
    Server server(testConfig(dir, R"({"echo": {}})"));
    SECTION("with a Content-Length the refusal comes before the body is sent") {
        Client client(server.port());
        client.send("GET /fixture HTTP/1.1\r\nHost: a\r\nContent-Length: 1048576\r\n\r\n");
        auto r = client.responses(1);
        REQUIRE(r.size() == 1);
        CHECK(r[0].status == 413);
        CHECK(client.closesWithin(std::chrono::seconds(5)));
    }
    SECTION("a chunked body is refused at its first byte") {
        Client client(server.port());
        client.send(
            "GET /fixture HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
            "5\r\nhello\r\n");
        auto r = client.responses(1);
        REQUIRE(r.size() == 1);
        CHECK(r[0].status == 413);
    }
    SECTION("an empty body is no body, and POST routes keep the host's limit") {
        CHECK(request(server.port(), "GET", "/fixture", {{"Content-Length", "0"}}).status == 200);
        CHECK(request(server.port(), "POST", "/fixture/echo", {}, std::string(4096, 'x')).status ==
              200);
    }
}

TEST_CASE("size limits answer 414, 431 and 413") {
    TempDir dir;
    Server server(testConfig(
        dir,
        R"({"echo": {"max_body_bytes": 2000}, "alpha": {"prefix": "/a"},)"
        R"( "beta": {"prefix": "/small", "max_body_bytes": 50}})",
        serverBlock(R"("max_uri_bytes": 256, "max_header_bytes": 1024, "max_header_count": 5,)"
                    R"( "max_body_bytes": 100)")));
    struct Case {
        const char* what;
        std::string bytes;
        int status;
    };
    std::string many;
    for (int i = 0; i < 6; ++i) many += "X-" + std::to_string(i) + ": v\r\n";
    std::vector<Case> cases = {
        {"a long target", get("/fixture?" + std::string(300, 'q')), 414},
        {"a request line longer than the header limit", get("/" + std::string(2000, 'q')), 414},
        {"a large header", get("/fixture", "X-Big: " + std::string(1100, 'b') + "\r\n"), 431},
        {"too many fields", "GET /fixture HTTP/1.1\r\nHost: a\r\n" + many + "\r\n", 431},
        {"a declared body over every route's limit",
         "POST /fixture/echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\n", 413},
        {"a chunked body over every route's limit",
         "POST /fixture/echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
         "FA0\r\n" +
             std::string(4000, 'z') + "\r\n0\r\n\r\n",
         413},
        {"a body another route accepts but this route's limit refuses",
         "POST /a/echo HTTP/1.1\r\nHost: a\r\nContent-Length: 500\r\nConnection: close\r\n\r\n" +
             std::string(500, 'y'),
         413},
        // Only the header is sent: the answer must not wait for a body it will refuse.
        {"a declared body over this route's limit, refused before it is sent",
         "POST /a/echo HTTP/1.1\r\nHost: a\r\nContent-Length: 500\r\n\r\n", 413},
        {"a declared body under the default but over this route's own smaller limit",
         "POST /small/echo HTTP/1.1\r\nHost: a\r\nContent-Length: 60\r\n\r\n", 413},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        auto r = parseResponses(rawExchange(server.port(), c.bytes));
        REQUIRE(r.size() == 1);
        CHECK(r[0].status == c.status);
    }
    // The echo route takes 2000 bytes; the host default of 100 does not apply to it.
    auto ok = request(server.port(), "POST", "/fixture/echo", {}, std::string(1500, 'e'));
    CHECK(ok.status == 200);
    CHECK(ok.body.size() == 1500);
}

TEST_CASE("deadlines: a slow header or body gets 408, idle keep-alive connections close") {
    TempDir dir;
    Server server(testConfig(dir, R"({"echo": {}})",
                             serverBlock(R"("header_timeout_ms": 300, "body_timeout_ms": 300,)"
                                         R"( "keep_alive_timeout_ms": 300)")));
    SECTION("a header that never ends") {
        Client c(server.port());
        c.send("GET /fixture HTTP/1.1\r\nHost: a\r\n");
        auto r = c.responses(1);
        REQUIRE(r.size() == 1);
        CHECK(r[0].status == 408);
        CHECK(c.closesWithin(std::chrono::seconds(5)));
    }
    SECTION("a header trickling in byte by byte still has one deadline") {
        Client c(server.port());
        std::string bytes = "GET /fixture HTTP/1.1\r\nX-Slow: " + std::string(200, 's');
        std::size_t sent = 0;
        auto until = Clock::now() + std::chrono::seconds(10);
        while (!c.closesWithin(std::chrono::milliseconds(20)) && Clock::now() < until &&
               sent < bytes.size()) {
            c.send(bytes.substr(sent++, 1));
        }
        CHECK(sent < bytes.size());
        CHECK(c.data().rfind("HTTP/1.1 408 ", 0) == 0);
    }
    SECTION("a body that stops short") {
        Client c(server.port());
        c.send("POST /fixture/echo HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
        auto r = c.responses(1);
        REQUIRE(r.size() == 1);
        CHECK(r[0].status == 408);
    }
    SECTION("an idle keep-alive connection") {
        Client c(server.port());
        c.send(get("/fixture"));
        REQUIRE(c.responses(1).size() == 1);
        CHECK(c.closesWithin(std::chrono::seconds(5)));
        CHECK(parseResponses(c.data()).size() == 1);  // closed without another answer
    }
}

TEST_CASE("requests per connection and open connections are capped") {
    TempDir dir;
    Server server(testConfig(dir, R"({"echo": {}})",
                             serverBlock(R"("max_keep_alive_requests": 3, "max_connections": 2)")));
    SECTION("the third request on a connection is its last") {
        Client c(server.port());
        c.send(get("/fixture") + get("/fixture") + get("/fixture") + get("/fixture"));
        auto r = c.responses(4);
        REQUIRE(r.size() == 3);
        CHECK_FALSE(r[1].has("connection"));
        CHECK(r[2].header("connection") == "close");
        CHECK(c.closesWithin(std::chrono::seconds(5)));
    }
    SECTION("past max_connections, with none idle to close, a new connection gets 503") {
        Client a(server.port());
        Client b(server.port());
        a.send(get("/fixture/slow?ms=1500"));  // busy, not idle: not closed to make room
        b.send(get("/fixture/slow?ms=1500"));
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        Client c(server.port());
        auto r = c.responses(1);
        REQUIRE(r.size() == 1);
        CHECK(r[0].status == 503);
        CHECK(c.closesWithin(std::chrono::seconds(5)));
    }
}

TEST_CASE(
    "prebuilt resources are answered while every worker is busy, unless an early hook "
    "may block") {
    // One worker, one queue slot: two slow requests fill both, so the next request that needs a
    // worker is refused with 503. A non-blocking route (the fixture's prebuilt page) is answered
    // on the I/O thread all the same; a blocking early hook (the fixture's early_header) puts
    // every request on the pool again.
    const bool blocking_early = GENERATE(false, true);
    INFO((blocking_early ? "with" : "without") << " a blocking early hook");
    TempDir dir;
    const std::string echo = blocking_early ? R"({"early_header": "X-Early"})" : "{}";
    Server server(testConfig(dir, R"({"echo": )" + echo + "}",
                             serverBlock(R"("threads": 1, "max_queued": 1, "io_threads": 1)")));
    Client running(server.port());
    REQUIRE(running.send(get("/fixture/slow?ms=4000")));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the worker takes it
    Client queued(server.port());
    REQUIRE(queued.send(get("/fixture/slow?ms=4000")));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // it waits in the queue

    Client dynamic(server.port());
    REQUIRE(dynamic.send(get("/fixture/slow?ms=1")));
    auto refused = dynamic.responses(1, false, std::chrono::seconds(2));
    REQUIRE(refused.size() == 1);
    CHECK(refused[0].status == 503);

    Client page(server.port());
    REQUIRE(page.send(get("/fixture/page")));
    auto answered = page.responses(1, false, std::chrono::seconds(2));
    REQUIRE(answered.size() == 1);
    CHECK(answered[0].status == (blocking_early ? 503 : 200));

    auto slow = running.responses(1);
    REQUIRE(slow.size() == 1);
    CHECK(slow[0].body == "slept 4000");
}

TEST_CASE("a client that stops reading is dropped after the send timeout") {
    TempDir dir;
    Server server(testConfig(dir, R"({"echo": {"max_body_bytes": 33554432}})",
                             serverBlock(R"("send_timeout_ms": 300)")));
    Client c(server.port(), 4096);
    std::string body(16 * 1024 * 1024, 'x');
    c.send("POST /fixture/echo HTTP/1.1\r\nHost: a\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n");
    std::thread sender([&] { c.send(body); });
    sender.join();
    // Not reading for a while: the server's send buffer fills and its deadline passes.
    REQUIRE(server.process().waitForOutput("POST a /fixture/echo 200", std::chrono::seconds(20)));
    std::size_t received = 0;
    auto until = Clock::now() + std::chrono::seconds(20);
    while (!c.closesWithin(std::chrono::milliseconds(10)) && Clock::now() < until) {
        received = c.data().size();
        c.clear();
    }
    CHECK(c.closesWithin(std::chrono::milliseconds(1)));
    CHECK(received < body.size());
}

TEST_CASE("with 2,000 slow connections open a new visitor is still answered") {
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    rlim_t want = std::min<rlim_t>(limit.rlim_max, 8192);
    if (limit.rlim_cur < want) {
        limit.rlim_cur = want;
        setrlimit(RLIMIT_NOFILE, &limit);  // the child inherits the raised limit
    }
    const int slow = std::min<int>(2000, static_cast<int>(want) / 2 - 100);
    TempDir dir;
    Server server(
        testConfig(dir, R"({"echo": {}})",
                   serverBlock(R"("max_connections": 5000, "max_connections_per_client": 0)")));
    std::vector<std::unique_ptr<Client>> clients;
    for (int i = 0; i < slow; ++i) {
        auto c = std::make_unique<Client>(server.port(), 0, "127.0.0." + std::to_string(2 + i % 8));
        REQUIRE(c->connected());
        c->send(i % 2 ? "GET /fixture HTTP/1.1\r\nHost: a\r\nX-Slow: " : "");
        clients.push_back(std::move(c));
    }
    INFO("slow connections: " << slow);
    auto r = request(server.port(), "GET", "/fixture");
    CHECK(r.status == 200);
    CHECK(r.body == "hello from echo");
}

namespace {

struct LoadResult {
    std::atomic<int> ok{0};
    std::atomic<int> failed{0};
    std::atomic<int> second{0};  // answers from the reloaded generation
};

// One keep-alive client sending GET /fixture until `stop()` says so. A failure is a wrong
// status, a partial or missing answer on a fresh connection, or no answer in time. A reused
// connection closed before any byte of the answer arrived is the race RFC 9112 section 9.3.1
// lets clients retry; the client then reconnects when `reconnect` is set, else ends.
template <typename Stop>
void loadClient(int port, LoadResult& result, bool reconnect, Stop stop) {
    auto c = std::make_unique<Client>(port);
    bool fresh = true;
    while (!stop()) {
        if (!c->connected()) return;  // accepting stopped: the process is going away
        c->clear();
        bool sent = c->send(get("/fixture"));
        auto r = c->responses(1, false, std::chrono::seconds(10));
        if (r.empty()) {
            bool retryable = sent && !fresh && c->data().empty() &&
                             c->closesWithin(std::chrono::milliseconds(0));
            if (!retryable) ++result.failed;
            if (!reconnect) return;
            c = std::make_unique<Client>(port);
            fresh = true;
            continue;
        }
        if (r[0].status != 200)
            ++result.failed;
        else
            ++result.ok;
        if (r[0].body == "second from echo") ++result.second;
        fresh = false;
        if (r[0].header("connection") == "close") {
            if (!reconnect) return;
            c = std::make_unique<Client>(port);
            fresh = true;
        }
    }
}

}  // namespace

TEST_CASE("SIGTERM under load: every request sent is answered, then the process exits 0") {
    TempDir dir;
    Server server(testConfig(dir, R"({"echo": {}})"));
    LoadResult result;
    std::vector<std::thread> clients;
    std::atomic<int> sent{0};
    for (int i = 0; i < 4; ++i) {
        clients.emplace_back(
            [&] { loadClient(server.port(), result, false, [&] { return ++sent > 4 * 2000; }); });
    }
    auto until = Clock::now() + std::chrono::seconds(20);
    while (result.ok < 200 && Clock::now() < until) std::this_thread::yield();
    server.process().signal(SIGTERM);
    for (auto& t : clients) t.join();
    CHECK(result.ok >= 200);
    CHECK(result.failed == 0);
    CHECK(server.process().wait(std::chrono::seconds(15)) == 0);
}

TEST_CASE("SIGHUP under load: the new generation takes over without a failed request") {
    TempDir dir;
    Server server(testConfig(dir, R"({"echo": {"greeting": "first"}})"));
    LoadResult result;
    std::vector<std::thread> clients;
    auto until = Clock::now() + std::chrono::seconds(30);
    for (int i = 0; i < 4; ++i) {
        clients.emplace_back([&] {
            loadClient(server.port(), result, true,
                       [&] { return result.second >= 200 || Clock::now() > until; });
        });
    }
    while (result.ok < 200 && Clock::now() < until) std::this_thread::yield();
    std::ofstream(server.configFile()) << testConfig(dir, R"({"echo": {"greeting": "second"}})");
    server.process().signal(SIGHUP);
    for (auto& t : clients) t.join();
    CHECK(server.process().waitForOutput("reload complete"));
    CHECK(result.second >= 200);
    CHECK(result.failed == 0);
    CHECK(request(server.port(), "GET", "/fixture").body == "second from echo");
}
