#include <catch2/catch.hpp>

#include "portico/sdk/errors.hpp"
#include "portico/testkit/test_host.hpp"

using nlohmann::json;
using portico::testkit::RequestBuilder;
using portico::testkit::TestHost;

namespace {

std::vector<std::string> issues(const json& config) {
    std::vector<std::string> out;
    try {
        TestHost host(PORTICO_TEST_PLUGIN_FILE, config);
    } catch (const portico::sdk::ConfigError& e) {
        for (const auto& i : e.issues()) out.push_back(i.path + ": " + i.message);
    }
    return out;
}

}  // namespace

TEST_CASE("the public-site profile sets every security header on any answer") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE);
    auto res = host.handle(RequestBuilder("GET", "/nowhere"));  // no route: a 404
    CHECK(res.status == 404);
    CHECK(res.headers.get("Strict-Transport-Security") == "max-age=31536000");
    CHECK(res.headers.get("Content-Security-Policy") ==
          "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
          "form-action 'self'; frame-ancestors 'none'");
    CHECK(res.headers.get("X-Content-Type-Options") == "nosniff");
    CHECK(res.headers.get("Referrer-Policy") == "strict-origin-when-cross-origin");
    CHECK(res.headers.get("Permissions-Policy") ==
          "camera=(), geolocation=(), microphone=(), payment=()");
    CHECK(res.headers.get("Cross-Origin-Opener-Policy") == "same-origin");
    CHECK(res.headers.get("X-Frame-Options") == "DENY");
    CHECK_FALSE(res.headers.has("Server"));
}

TEST_CASE("config shapes HSTS, the CSP, the Server field and extra fields") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE, json::parse(R"({
                      "hsts": {"max_age": 63072000, "include_subdomains": true, "preload": true},
                      "csp": {"img-src": ["https://img.example"], "script-src": ["'sha256-abc='"]},
                      "server": "portico",
                      "fields": {"X-Frame-Options": "", "X-Extra": "1"}})"));
    auto res = host.handle(RequestBuilder("GET", "/"));
    CHECK(res.headers.get("Strict-Transport-Security") ==
          "max-age=63072000; includeSubDomains; preload");
    auto csp = res.headers.getOr("Content-Security-Policy", "");
    CHECK(csp.find("img-src 'self' data: https://img.example;") != std::string::npos);
    CHECK(csp.find("script-src 'self' 'sha256-abc=';") != std::string::npos);
    CHECK(res.headers.get("Server") == "portico");
    CHECK_FALSE(res.headers.has("X-Frame-Options"));
    CHECK(res.headers.get("X-Extra") == "1");
}

TEST_CASE("a per-path override wins by longest prefix") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE, json::parse(R"({"paths": [
        {"prefix": "/api/", "profile": "strict"},
        {"prefix": "/api/open/", "fields": {"Referrer-Policy": "same-origin"}}]})"));
    struct Row {
        const char* path;
        const char* referrer;
        const char* default_src;
    };
    const Row rows[] = {
        {"/", "strict-origin-when-cross-origin", "default-src 'self'"},
        {"/api/x", "no-referrer", "default-src 'none'"},
        {"/api/open/x", "same-origin", "default-src 'self'"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.path);
        auto res = host.handle(RequestBuilder("GET", row.path));
        CHECK(res.headers.get("Referrer-Policy") == row.referrer);
        CHECK(res.headers.getOr("Content-Security-Policy", "").rfind(row.default_src, 0) == 0);
    }
}

TEST_CASE("bad headers configs are refused with every problem and its path") {
    struct Row {
        const char* config;
        std::vector<std::string> issues;
    };
    const Row rows[] = {
        {R"({"csp": {"script-src": ["'self'", "'unsafe-inline'"]}})",
         {"csp.script-src[1]: unsafe sources are not allowed; use a 'sha256-...' hash, got "
          "\"'unsafe-inline'\""}},
        {R"({"hsts": {"preload": true}})",
         {"hsts.preload: needs include_subdomains and a max_age of at least 31536000, got max_age "
          "31536000"}},
        {R"({"csp": {"Img_Src": ["data:"]}})",
         {"csp: directive names are lowercase letters and '-', got \"Img_Src\""}},
        {R"({"paths": [{"prefix": "api", "csp": {"img-src": ["a b"]}}]})",
         {"paths[0].prefix: must start with '/', got \"api\"",
          "paths[0].csp.img-src[0]: one source per item, got \"a b\""}},
    };
    for (const auto& row : rows) {
        CAPTURE(row.config);
        CHECK(issues(json::parse(row.config)) == row.issues);
    }
}
