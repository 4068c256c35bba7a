#include "client_key.hpp"

#include <catch2/catch.hpp>

using namespace portico::plugins::ratelimit;

TEST_CASE("CIDRs parse and match IPv4 and IPv6 addresses") {
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
    for (const char* bad : {"10.0.0.0/33", "::/129", "10.0.0/8", "x", "10.0.0.0/8x", ""}) {
        CAPTURE(bad);
        CHECK_FALSE(Cidr::parse(bad));
    }
}

TEST_CASE("the client is the peer unless a trusted proxy forwarded the request") {
    const std::vector<Cidr> trusted{*Cidr::parse("10.0.0.0/8"), *Cidr::parse("fd00::/8")};
    struct Row {
        const char* peer;
        std::vector<std::string> xff;
        std::vector<std::string> forwarded;
        const char* key;
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
         {"for=192.0.2.60;proto=http;by=203.0.113.43", "for=\"[2001:db8:cafe::17]:4711\""},
         "2001:db8:cafe:0::/64"},
        {"10.0.0.2", {"10.0.0.3"}, {}, "10.0.0.3"},
        {"10.0.0.2", {"garbage"}, {}, "10.0.0.2"},
        {"10.0.0.2", {}, {}, "10.0.0.2"},
        // IPv6 clients are grouped by /64
        {"2001:db8:1:2:3:4:5:6", {}, {}, "2001:db8:1:2::/64"},
        {"2001:db8:1:2:ffff::1", {}, {}, "2001:db8:1:2::/64"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.peer);
        CHECK(clientKey(row.peer, row.xff, row.forwarded, trusted) == row.key);
    }
}
