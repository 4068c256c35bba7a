#pragma once

#include <string>

namespace portico::plugins::ratelimit {

/// The rate-limit key of a client address the host decided (`Request::client_address`): IPv4
/// addresses as they are, IPv6 by their /64 ("2001:db8:1:2::/64"), since one subscriber holds a
/// whole /64. Text that is not an address is its own key.
std::string clientKey(const std::string& address);

}  // namespace portico::plugins::ratelimit
