#include "csp.hpp"

#include <catch2/catch.hpp>

using portico::plugins::headers::Csp;

TEST_CASE("a policy parses and renders back in order") {
    struct Row {
        const char* in;
        const char* out;
    };
    const Row rows[] = {
        {"default-src 'self'", "default-src 'self'"},
        {"default-src 'self';img-src data:  https://a.example ;",
         "default-src 'self'; img-src data: https://a.example"},
        {"Script-Src 'self'; script-src https://ignored.example", "script-src 'self'"},
        {"", ""},
    };
    for (const auto& row : rows) {
        CAPTURE(row.in);
        CHECK(Csp::parse(row.in).str() == row.out);
    }
}

TEST_CASE("adding sources unions them, falls back to default-src and replaces 'none'") {
    struct Row {
        const char* base;
        const char* directive;
        std::vector<std::string> sources;
        const char* out;
    };
    const Row rows[] = {
        {"script-src 'self'",
         "script-src",
         {"https://a.example"},
         "script-src 'self' https://a.example"},
        {"script-src 'self'", "script-src", {"'self'"}, "script-src 'self'"},
        {"default-src 'self'",
         "connect-src",
         {"https://a.example"},
         "default-src 'self'; connect-src 'self' https://a.example"},
        {"object-src 'none'", "object-src", {"https://a.example"}, "object-src https://a.example"},
        {"img-src 'self'", "img-src", {"'none'"}, "img-src 'none'"},
        {"", "img-src", {"data:"}, "img-src data:"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.base, row.directive);
        Csp csp = Csp::parse(row.base);
        csp.add(row.directive, row.sources);
        CHECK(csp.str() == row.out);
    }
}

TEST_CASE("merging a contribution never loosens frame-ancestors or admits unsafe sources") {
    Csp csp = Csp::parse("default-src 'self'; script-src 'self'; frame-ancestors 'none'");
    csp.merge(
        Csp::parse("script-src 'self' https://a.example 'unsafe-inline'; "
                   "connect-src 'self' https://a.example; frame-ancestors *; "
                   "report-uri /x; sandbox"));
    CHECK(csp.str() ==
          "default-src 'self'; script-src 'self' https://a.example; frame-ancestors 'none'; "
          "connect-src 'self' https://a.example");
}
