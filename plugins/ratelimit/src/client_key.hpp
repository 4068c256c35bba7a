#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace portico::plugins::ratelimit {

/// An IPv4 or IPv6 network, e.g. "10.0.0.0/8" or "2001:db8::/32".
struct Cidr {
    std::array<std::uint8_t, 16> bytes{};  ///< IPv4 as ::ffff:a.b.c.d
    int prefix = 128;                      ///< in IPv6 terms (IPv4 /8 is 104)
    /// Nullopt when `text` is not an address with an optional /prefix.
    static std::optional<Cidr> parse(std::string_view text);
    bool contains(const std::array<std::uint8_t, 16>& address) const noexcept;
};

/// Parses an IPv4 or IPv6 address (brackets, a port after IPv4, and an IPv6 zone are
/// tolerated) into IPv6 form. Nullopt when it is not an address.
std::optional<std::array<std::uint8_t, 16>> parseAddress(std::string_view text);

/// Who the client is: the TCP peer; when the peer is a trusted proxy, the rightmost address in
/// X-Forwarded-For (else Forwarded: for=) that is not itself a trusted proxy. IPv4 addresses
/// are keyed as they are, IPv6 by their /64 ("2001:db8:1:2::/64").
std::string clientKey(const std::string& peer, const std::vector<std::string>& forwarded_for,
                      const std::vector<std::string>& forwarded, const std::vector<Cidr>& trusted);

}  // namespace portico::plugins::ratelimit
