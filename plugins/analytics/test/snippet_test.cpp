#include "snippet.hpp"

#include <catch2/catch.hpp>

using namespace portico::plugins::analytics;

TEST_CASE("each provider gets its own script element") {
    struct Row {
        Settings settings;
        const char* tag;
    };
    const Row rows[] = {
        {{"umami", "https://stats.example.com/script.js", "94db1cb1-74f4", "", {}, true},
         R"(<script defer src="https://stats.example.com/script.js" data-website-id="94db1cb1-74f4" data-do-not-track="true"></script>)"},
        {{"umami",
          "https://u.example/s.js",
          "id\"x",
          "",
          {"example.com", "www.example.com"},
          false},
         R"(<script defer src="https://u.example/s.js" data-website-id="id&quot;x" data-domains="example.com,www.example.com"></script>)"},
        {{"plausible", "https://plausible.io/js/script.js", "", "example.com", {}, true},
         R"(<script defer data-domain="example.com" src="https://plausible.io/js/script.js"></script>)"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.settings.provider);
        CHECK(scriptTag(row.settings) == row.tag);
    }
}

TEST_CASE("the script goes before </head> exactly once") {
    const std::string url = "https://s.example/a.js";
    const std::string tag = "<script defer src=\"https://s.example/a.js\"></script>";
    struct Row {
        const char* in;
        const char* out;
    };
    const Row rows[] = {
        {"<html><head><title>t</title></head><body></body></html>",
         "<html><head><title>t</title><script defer "
         "src=\"https://s.example/a.js\"></script></head><body></body></html>"},
        {"<HTML><HEAD></HEAD></HTML>",
         "<HTML><HEAD><script defer src=\"https://s.example/a.js\"></script></HEAD></HTML>"},
        {"<head><script defer src=\"https://s.example/a.js\" data-x></script></head>",
         "<head><script defer src=\"https://s.example/a.js\" data-x></script></head>"},
        {"<p>a fragment without head</p>", "<p>a fragment without head</p>"},
        {"", ""},
    };
    for (const auto& row : rows) {
        CAPTURE(row.in);
        std::string once = inject(row.in, tag, url);
        CHECK(once == row.out);
        CHECK(inject(once, tag, url) == once);
    }
}

TEST_CASE("the origin of the script URL is what the CSP allows") {
    struct Row {
        const char* url;
        const char* origin;
    };
    const Row rows[] = {
        {"https://stats.example.com/script.js", "https://stats.example.com"},
        {"https://Stats.Example.com:8443/s.js?x=1", "https://stats.example.com:8443"},
        {"http://localhost:3000", "http://localhost:3000"},
        {"//stats.example.com/s.js", ""},
        {"ftp://x/y", ""},
        {"https:///path", ""},
        {"", ""},
    };
    for (const auto& row : rows) {
        CAPTURE(row.url);
        CHECK(originOf(row.url) == row.origin);
    }
}

TEST_CASE("the origin is added to script-src and connect-src of a policy") {
    struct Row {
        const char* policy;
        const char* out;
    };
    const Row rows[] = {
        {"", "script-src 'self' https://s.example; connect-src 'self' https://s.example"},
        {"default-src 'self'; script-src 'self'; connect-src 'self'",
         "default-src 'self'; script-src 'self' https://s.example; connect-src 'self' "
         "https://s.example"},
        {"script-src 'self' https://s.example;",
         "script-src 'self' https://s.example; connect-src 'self' https://s.example"},
        {"Script-Src 'none'; script-src https://ignored.example; default-src 'none'",
         "script-src https://s.example; default-src 'none'; connect-src https://s.example"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.policy);
        CHECK(amendCsp(row.policy, "https://s.example") == row.out);
    }
}
