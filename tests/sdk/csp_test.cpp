#include "portico/sdk/csp.hpp"

#include <catch2/catch.hpp>

using portico::sdk::Csp;

TEST_CASE(
    "a CSP parses and renders back in order, lower-case, the first of a repeated directive "
    "winning") {
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

TEST_CASE("only the unsafe keywords count as unsafe sources") {
    struct Row {
        const char* source;
        bool unsafe;
    };
    const Row rows[] = {
        {"'unsafe-inline'", true}, {"'unsafe-eval'", true},
        {"'unsafe-hashes'", true}, {"'self'", false},
        {"'sha256-abc='", false},  {"https://unsafe-x.example", false},
        {"'unsafe-", false},       {"", false},
    };
    for (const auto& row : rows) {
        CAPTURE(row.source);
        CHECK(Csp::isUnsafeSource(row.source) == row.unsafe);
    }
}

TEST_CASE("a directive's sources are found by its lower-case name") {
    const Csp csp = Csp::parse("IMG-SRC 'self' data:; object-src 'none'");
    REQUIRE(csp.find("img-src") != nullptr);
    CHECK(*csp.find("img-src") == std::vector<std::string>{"'self'", "data:"});
    CHECK(*csp.find("object-src") == std::vector<std::string>{"'none'"});
    CHECK(csp.find("script-src") == nullptr);
    CHECK(csp.directives().size() == 2);
}
