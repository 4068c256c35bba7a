#include "client_key.hpp"

#include <cstdio>

#include "portico/sdk/net.hpp"

namespace portico::plugins::ratelimit {

std::string clientKey(const std::string& address) {
    // The host hands over a dotted IPv4 address as is: nothing to parse or group.
    if (address.find(':') == std::string::npos) return address;
    auto a = sdk::parseAddress(address);
    if (!a) return address;
    if (sdk::isV4Mapped(*a)) return sdk::formatAddress(*a);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%x:%x:%x:%x::/64", ((*a)[0] << 8) | (*a)[1],
                  ((*a)[2] << 8) | (*a)[3], ((*a)[4] << 8) | (*a)[5], ((*a)[6] << 8) | (*a)[7]);
    return buf;
}

}  // namespace portico::plugins::ratelimit
