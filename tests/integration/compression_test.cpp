// Per-response compression of dynamic answers through the real process: the shipped contact
// page (a fresh form token in every answer) and a fixture's page-sized dynamic document.
#include <brotli/decode.h>
#include <signal.h>
#include <zlib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <regex>
#include <thread>

#include "decode.hpp"
#include "harness.hpp"

using namespace portico::tests;

namespace {

// The body as the handler wrote it, whatever the coding.
std::string decoded(const Response& res) {
    const std::string coding = res.header("content-encoding");
    if (coding == "br") return unbrotli(res.body);
    if (coding == "gzip") return gunzip(res.body);
    REQUIRE(coding.empty());
    return res.body;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

const std::regex kToken("name=\"token\" value=\"([0-9]+\\.[0-9a-f]+\\.[0-9a-f]+)\"");

std::string tokenIn(const std::string& html) {
    std::smatch m;
    REQUIRE(std::regex_search(html, m, kToken));
    return m[1];
}

std::string withoutToken(const std::string& html) {
    return std::regex_replace(html, kToken, "name=\"token\" value=\"TOKEN\"");
}

Response postForm(int port, const std::string& body, const std::string& accept_encoding) {
    return request(port, "POST", "/de/kontakt/",
                   {{"Content-Type", "application/x-www-form-urlencoded"},
                    {"Accept-Encoding", accept_encoding}},
                   body);
}

}  // namespace

TEST_CASE(
    "the contact page goes out in brotli or gzip as the client accepts, the same page but for its "
    "token, and the token in the compressed page posts back") {
    TempDir dir;
    const int port = freePort();
    auto p = serveShipped(dir, port);
    const auto identity = request(port, "GET", "/de/kontakt/");
    REQUIRE(identity.status == 200);
    REQUIRE(identity.body.size() > 1000);
    CHECK_FALSE(identity.has("content-encoding"));
    CHECK(contains(identity.header("vary"), "Accept-Encoding"));

    struct Case {
        const char* accept;
        const char* coding;
    };
    const Case cases[] = {
        {"br", "br"},
        {"gzip", "gzip"},
        {"gzip, deflate, br", "br"},
        {"br;q=0, gzip", "gzip"},
        {"", ""},
        {"gzip;q=0", ""},
        {"identity", ""},
    };
    std::map<std::string, std::string> tokens;  // by coding
    for (const auto& c : cases) {
        INFO("Accept-Encoding: " << c.accept);
        const auto res = request(port, "GET", "/de/kontakt/", {{"Accept-Encoding", c.accept}});
        REQUIRE(res.status == 200);
        CHECK(res.header("content-encoding") == c.coding);
        CHECK(contains(res.header("vary"), "Accept-Encoding"));
        CHECK(res.header("content-length") == std::to_string(res.body.size()));
        const std::string html = decoded(res);
        if (*c.coding) CHECK(res.body.size() < html.size() / 2);
        CHECK(withoutToken(html) == withoutToken(identity.body));
        tokens[c.coding] = tokenIn(html);

        const auto head = request(port, "HEAD", "/de/kontakt/", {{"Accept-Encoding", c.accept}});
        CHECK(head.status == 200);
        CHECK(head.header("content-encoding") == c.coding);
        CHECK(head.header("vary") == res.header("vary"));
        // The encoded size of one page; its token differs by a few digits per request.
        CHECK(std::abs(std::stol(head.header("content-length")) -
                       std::stol(res.header("content-length"))) < 8);
    }

    // The shipped config refuses forms sent within 3 s of being served (min_fill_seconds).
    std::this_thread::sleep_for(std::chrono::milliseconds(3500));
    const auto bad = postForm(port, "name=&email=nope&website=&token=" + tokens["gzip"], "br");
    CHECK(bad.status == 422);
    CHECK(bad.header("content-encoding") == "br");
    const std::string rerendered = decoded(bad);
    CHECK(contains(rerendered, "<div class=\"form-errors\" role=\"alert\">"));
    CHECK(contains(rerendered, "value=\"nope\""));
    tokenIn(rerendered);

    const auto ok = postForm(port,
                             "name=Compressed&email=c%40example.com&message=Hallo&consent=yes"
                             "&website=&token=" +
                                 tokens["br"],
                             "gzip");
    CHECK(ok.status == 303);
    CHECK(ok.header("location") == "/de/kontakt/danke/");
    p->signal(SIGTERM);
    CHECK(p->wait() == 0);
}

TEST_CASE(
    "a dynamic document gets the same headers for HEAD as for GET, Vary merged with the "
    "plugin's and its strong ETag weak once encoded, while the admin listener and small answers "
    "stay as they are") {
    TempDir dir;
    Server server(testConfig(dir, R"({"echo": {}, "metrics": {}})", R"("admin": {"port": 0})"));
    const auto identity = request(server.port(), "GET", "/fixture/dynpage");
    REQUIRE(identity.status == 200);
    CHECK_FALSE(identity.has("content-encoding"));
    CHECK(identity.header("etag") == "\"dynpage-1\"");
    CHECK(identity.header("vary") == "Cookie, Accept-Encoding");

    for (const char* coding : {"br", "gzip"}) {
        INFO(coding);
        const auto get =
            request(server.port(), "GET", "/fixture/dynpage", {{"Accept-Encoding", coding}});
        const auto head =
            request(server.port(), "HEAD", "/fixture/dynpage", {{"Accept-Encoding", coding}});
        CHECK(get.header("content-encoding") == coding);
        CHECK(decoded(get) == identity.body);
        CHECK(get.header("etag") == "W/\"dynpage-1\"");
        CHECK(get.header("vary") == "Cookie, Accept-Encoding");
        CHECK(get.header("content-length") == std::to_string(get.body.size()));
        CHECK(std::stoul(get.header("content-length")) < identity.body.size());
        CHECK(head.body.empty());
        for (const char* name :
             {"content-encoding", "content-length", "etag", "vary", "content-type"}) {
            INFO(name);
            CHECK(head.header(name) == get.header(name));
        }
    }
    // Below 256 bytes the coding costs more than it saves.
    const auto small =
        request(server.port(), "GET", "/fixture/dyndoc", {{"Accept-Encoding", "br"}});
    CHECK_FALSE(small.has("content-encoding"));
    CHECK_FALSE(small.has("vary"));
    const auto admin =
        request(server.adminPort(), "GET", "/metrics", {{"Accept-Encoding", "gzip, br"}});
    CHECK(admin.status == 200);
    CHECK(admin.body.size() > 256);
    CHECK(contains(admin.body, "portico_plugin_hook_seconds"));
    CHECK_FALSE(admin.has("content-encoding"));
}
