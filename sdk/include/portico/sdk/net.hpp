#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "portico/sdk/http.hpp"

namespace portico::sdk {

/// An IPv4 or IPv6 address in IPv6 form (IPv4 as ::ffff:a.b.c.d).
using IpAddress = std::array<std::uint8_t, 16>;

/// Parses an IPv4 or IPv6 address (brackets, a port after IPv4, and an IPv6 zone are
/// tolerated) into IPv6 form. Nullopt when it is not an address. Pure; any thread.
std::optional<IpAddress> parseAddress(std::string_view text);

/// The canonical text of an address: dotted quad for IPv4 (also when mapped), RFC 5952 for
/// IPv6. Pure; any thread.
std::string formatAddress(const IpAddress& address);

/// True for an IPv4 address in IPv6 form (::ffff:a.b.c.d).
bool isV4Mapped(const IpAddress& address) noexcept;

/// An IPv4 or IPv6 network, e.g. "10.0.0.0/8" or "2001:db8::/32".
struct Cidr {
    IpAddress bytes{};
    int prefix = 128;  ///< in IPv6 terms (IPv4 /8 is 104)
    /// Nullopt when `text` is not an address with an optional /prefix.
    static std::optional<Cidr> parse(std::string_view text);
    bool contains(const IpAddress& address) const noexcept;
};

/// Who the client is, as the host decides it once per request (DESIGN.md, request path step 0):
/// the TCP `peer`; when the peer is in `trusted`, the rightmost address in X-Forwarded-For (else
/// in Forwarded: for=) that is not itself trusted. A hop that is not an address ("unknown", an
/// obfuscated name, garbage) stops the walk at the last trusted hop. Returns the canonical text
/// (`formatAddress`), or `peer` unchanged when it is not an address. Pure; any thread.
std::string forwardedClient(const std::string& peer, const Headers& headers,
                            const std::vector<Cidr>& trusted);

}  // namespace portico::sdk
