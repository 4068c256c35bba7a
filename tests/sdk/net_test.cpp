#include "portico/sdk/net.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace portico::sdk;

TEST_CASE("CIDRs parse and match IPv4 and IPv6 addresses", "[net]") {
    struct Row {
        const char* cidr;
        const char* address;
        bool inside;
    };
    const Row rows[] = {
        {"10.0.0.0/8", "10.1.2.3", true},
        {"10.0.0.0/8", "11.0.0.1", false},
        {"127.0.0.1", "127.0.0.1", true},
        {"127.0.0.1", "127.0.0.2", false},
        {"172.30.0.0/24", "::ffff:172.30.0.7", true},
        {"2001:db8::/32", "2001:db8:ffff::1", true},
        {"2001:db8::/32", "2001:db9::1", false},
        {"0.0.0.0/0", "203.0.113.9", true},
        {"::/0", "2001:db8::1", true},
    };
    for (const auto& row : rows) {
        CAPTURE(row.cidr, row.address);
        auto cidr = Cidr::parse(row.cidr);
        REQUIRE(cidr);
        CHECK(cidr->contains(*parseAddress(row.address)) == row.inside);
    }
    for (const char* bad : {"10.0.0.0/33", "::/129", "10.0.0/8", "x", "10.0.0.0/8x", "", "/8"}) {
        CAPTURE(bad);
        CHECK_FALSE(Cidr::parse(bad));
    }
}

TEST_CASE("addresses print in canonical form", "[net]") {
    CHECK(formatAddress(*parseAddress("::ffff:192.0.2.1")) == "192.0.2.1");
    CHECK(formatAddress(*parseAddress("192.0.2.1:8080")) == "192.0.2.1");
    CHECK(formatAddress(*parseAddress("[2001:DB8:0:0::1]")) == "2001:db8::1");
}

TEST_CASE("the client is the peer unless a trusted proxy forwarded the request", "[net]") {
    const std::vector<Cidr> trusted{*Cidr::parse("10.0.0.0/8"), *Cidr::parse("fd00::/8")};
    struct Row {
        const char* peer;
        std::vector<std::string> xff;
        std::vector<std::string> forwarded;
        const char* client;
    };
    const Row rows[] = {
        // an untrusted peer's headers change nothing
        {"203.0.113.9", {"198.51.100.1"}, {}, "203.0.113.9"},
        {"203.0.113.9", {}, {"for=198.51.100.1"}, "203.0.113.9"},
        // a trusted peer: the rightmost untrusted hop
        {"10.0.0.2", {"198.51.100.1, 192.0.2.7"}, {}, "192.0.2.7"},
        {"10.0.0.2", {"198.51.100.1, 192.0.2.7, 10.0.0.9"}, {}, "192.0.2.7"},
        {"10.0.0.2", {"198.51.100.1", "192.0.2.7"}, {}, "192.0.2.7"},
        {"10.0.0.2",
         {},
         {"for=192.0.2.60;proto=http;by=203.0.113.43", "For=\"[2001:db8:cafe::17]:4711\""},
         "2001:db8:cafe::17"},
        {"10.0.0.2", {"10.0.0.3"}, {}, "10.0.0.3"},
        {"10.0.0.2", {"garbage"}, {}, "10.0.0.2"},
        {"10.0.0.2", {"198.51.100.1, unknown, 10.0.0.4"}, {}, "10.0.0.4"},
        {"10.0.0.2", {}, {}, "10.0.0.2"},
        {"fd00::1", {"192.0.2.8"}, {}, "192.0.2.8"},
        {"::ffff:10.0.0.2", {"192.0.2.9"}, {}, "192.0.2.9"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.peer);
        Headers headers;
        for (const auto& v : row.xff) headers.add("X-Forwarded-For", v);
        for (const auto& v : row.forwarded) headers.add("Forwarded", v);
        CHECK(forwardedClient(row.peer, headers, trusted) == row.client);
    }
    SECTION("without trusted proxies no header is believed") {
        Headers headers;
        headers.add("X-Forwarded-For", "192.0.2.7");
        CHECK(forwardedClient("10.0.0.2", headers, {}) == "10.0.0.2");
    }
}
