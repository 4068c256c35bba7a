#include "client_key.hpp"

#include <catch2/catch.hpp>

using portico::plugins::ratelimit::clientKey;

TEST_CASE("IPv4 clients are keyed by their address, IPv6 clients by their /64") {
    struct Row {
        const char* address;
        const char* key;
    };
    const Row rows[] = {
        {"203.0.113.9", "203.0.113.9"},
        {"::ffff:203.0.113.9", "203.0.113.9"},
        {"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
        {"2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"},
        {"2001:db8:cafe::17", "2001:db8:cafe:0::/64"},
        {"not-an-address", "not-an-address"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.address);
        CHECK(clientKey(row.address) == row.key);
    }
}
