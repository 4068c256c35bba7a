// The insights plugin through the real process and the shipped site: which answers count as
// page views, unique visitors per day, the flush (periodic and on shutdown), the export, and
// that nothing personal reaches the store.
#include <signal.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "harness.hpp"

using namespace portico::tests;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const char* const kFirefox =
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const char* const kChromePhone =
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36";
const char* const kGooglebot =
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

// One request from `source` (127.0.0.2 and up play other visitors).
Response visit(int port, const std::string& source, const std::string& method,
               const std::string& target, std::map<std::string, std::string> headers) {
    Client client(port, 0, source);
    REQUIRE(client.connected());
    std::string bytes = method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n";
    for (const auto& [name, value] : headers) bytes += name + ": " + value + "\r\n";
    REQUIRE(client.send(bytes + "Connection: close\r\n\r\n"));
    auto answers = client.responses(1, method == "HEAD");
    REQUIRE(answers.size() == 1);
    return answers.front();
}

std::map<std::string, std::string> shippedWithInsights(const TempDir& dir, int port) {
    auto env = shippedEnv(dir, port);
    env["INSIGHTS_FLUSH_SECONDS"] = "1";
    return env;
}

// Today's figures as {"dimension=value": count}; visitors as "visitors".
std::map<std::string, std::int64_t> todaysFigures(const TempDir& dir, int port) {
    const auto r =
        runPortico({"insights", "export", "--format", "json", "--config", "config/portico.json"},
                   shippedWithInsights(dir, port), sourceDir());
    INFO(r.err);
    REQUIRE(r.status == 0);
    std::map<std::string, std::int64_t> figures;
    for (const auto& row : json::parse(r.out)) {
        const std::string dimension = row.at("dimension");
        const std::string key = dimension == "visitors"
                                    ? dimension
                                    : dimension + "=" + row.at("value").get<std::string>();
        figures[key] += row.at("count").get<std::int64_t>();
    }
    return figures;
}

std::string storeBytes(const TempDir& dir) {
    std::string all;
    for (const auto& entry : fs::directory_iterator(dir.path() + "/data")) {
        if (entry.path().filename().string().rfind("portico.db", 0) == 0) {
            all += readFile(entry.path().string());
        }
    }
    return all;
}

}  // namespace

TEST_CASE(
    "a visit is counted once per page view, a bot's and a prefetch are not, and nothing "
    "personal is stored") {
    TempDir dir;
    const int port = freePort();
    Process server({porticoBin(), "serve", "--config", "config/portico.json"},
                   shippedWithInsights(dir, port), sourceDir());
    REQUIRE(server.waitForOutput("portico listening on"));
    REQUIRE(server.waitForOutput("counting page views without cookies"));

    const auto first = visit(port, "127.0.0.2", "GET", "/en/", {{"User-Agent", kFirefox}});
    REQUIRE(first.status == 200);
    const std::string etag = first.header("etag");
    REQUIRE_FALSE(etag.empty());
    // The same visitor again: a revisit answered from the browser's cache (304) is a view too.
    CHECK(
        visit(port, "127.0.0.2", "GET", "/en/", {{"User-Agent", kFirefox}, {"If-None-Match", etag}})
            .status == 304);
    CHECK(visit(port, "127.0.0.3", "GET", "/de/?utm_source=newsletter&utm_campaign=%3DHYPERLINK(1)",
                {{"User-Agent", kChromePhone}, {"Referer", "https://www.google.com/search?q=x"}})
              .status == 200);
    // Not page views: a crawler, a prefetch, a HEAD, the health check, a stylesheet, a POST.
    CHECK(visit(port, "127.0.0.4", "GET", "/en/", {{"User-Agent", kGooglebot}}).status == 200);
    CHECK(visit(port, "127.0.0.5", "GET", "/en/",
                {{"User-Agent", kFirefox}, {"Sec-Purpose", "prefetch"}})
              .status == 200);
    CHECK(visit(port, "127.0.0.5", "HEAD", "/en/", {{"User-Agent", kFirefox}}).status == 200);
    CHECK(visit(port, "127.0.0.5", "GET", "/readyz", {{"User-Agent", kFirefox}}).status == 200);
    CHECK(visit(port, "127.0.0.5", "GET", "/sitemap.xml", {{"User-Agent", kFirefox}}).status ==
          200);
    // A missing page is no view but a 404 worth fixing.
    CHECK(visit(port, "127.0.0.6", "GET", "/en/no-such-page/", {{"User-Agent", kFirefox}}).status ==
          404);

    // The periodic flush (1 s here) writes them while the server runs.
    std::map<std::string, std::int64_t> figures;
    for (int i = 0; i < 50 && figures["page=/de/"] == 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        figures = todaysFigures(dir, port);
    }
    CHECK(figures["page=/en/"] == 2);
    CHECK(figures["page=/de/"] == 1);
    CHECK(figures["visitors"] == 2);
    CHECK(figures["locale=en"] == 2);
    CHECK(figures["locale=de"] == 1);
    CHECK(figures["referrer=google.com"] == 1);
    CHECK(figures["utm_source=newsletter"] == 1);
    CHECK(figures["utm_campaign==HYPERLINK(1)"] == 1);
    CHECK(figures["browser=Firefox"] == 2);
    CHECK(figures["browser=Chrome"] == 1);
    CHECK(figures["device=mobile"] == 1);
    CHECK(figures["not_found=/en/no-such-page/"] == 1);
    std::int64_t pages = 0;
    for (const auto& [key, n] : figures) pages += key.rfind("page=", 0) == 0 ? n : 0;
    CHECK(pages == 3);

    // A view not yet flushed is written when the server stops.
    CHECK(visit(port, "127.0.0.7", "GET", "/en/contact/", {{"User-Agent", kFirefox}}).status ==
          200);
    server.signal(SIGTERM);
    REQUIRE(server.wait() == 0);
    figures = todaysFigures(dir, port);
    CHECK(figures["page=/en/contact/"] == 1);
    CHECK(figures["visitors"] == 3);

    // No address, user agent or campaign text outside the counted values in any table.
    const std::string bytes = storeBytes(dir);
    REQUIRE_FALSE(bytes.empty());
    for (const char* personal : {"127.0.0.2", "127.0.0.3", "127.0.0.7", "Gecko/20100101",
                                 "Firefox/128.0", "Android 10", "Googlebot", "search?q=x"}) {
        INFO(personal);
        CHECK(bytes.find(personal) == std::string::npos);
    }
}

TEST_CASE("insights export refuses a malformed day before reading anything") {
    TempDir dir;
    const auto r = runPortico(
        {"insights", "export", "--from", "2026-13-01", "--config", "config/portico.json"},
        shippedWithInsights(dir, freePort()), sourceDir());
    CHECK(r.status == 2);
    CHECK(r.err.find("--from: must be a day as YYYY-MM-DD, got \"2026-13-01\"") !=
          std::string::npos);
}
