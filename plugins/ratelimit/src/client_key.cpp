#include "client_key.hpp"

#include <arpa/inet.h>

#include <cstdio>
#include <cstring>

namespace portico::plugins::ratelimit {
namespace {

std::string trim(std::string_view s) {
    auto a = s.find_first_not_of(" \t\"");
    if (a == std::string_view::npos) return "";
    auto b = s.find_last_not_of(" \t\"");
    return std::string(s.substr(a, b - a + 1));
}

bool isV4Mapped(const std::array<std::uint8_t, 16>& a) {
    for (int i = 0; i < 10; ++i) {
        if (a[i] != 0) return false;
    }
    return a[10] == 0xff && a[11] == 0xff;
}

std::string keyOf(const std::array<std::uint8_t, 16>& a) {
    char buf[64];
    if (isV4Mapped(a)) {
        std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", a[12], a[13], a[14], a[15]);
    } else {
        std::snprintf(buf, sizeof buf, "%x:%x:%x:%x::/64", (a[0] << 8) | a[1], (a[2] << 8) | a[3],
                      (a[4] << 8) | a[5], (a[6] << 8) | a[7]);
    }
    return buf;
}

void splitList(const std::vector<std::string>& values, std::vector<std::string>& out) {
    for (const auto& v : values) {
        std::size_t pos = 0;
        while (pos <= v.size()) {
            auto end = v.find(',', pos);
            if (end == std::string::npos) end = v.size();
            out.push_back(trim(std::string_view(v).substr(pos, end - pos)));
            pos = end + 1;
        }
    }
}

}  // namespace

std::optional<std::array<std::uint8_t, 16>> parseAddress(std::string_view text) {
    std::string s = trim(text);
    if (!s.empty() && s.front() == '[') {
        auto close = s.find(']');
        if (close == std::string::npos) return std::nullopt;
        s = s.substr(1, close - 1);
    }
    if (auto zone = s.find('%'); zone != std::string::npos) s.erase(zone);
    std::array<std::uint8_t, 16> out{};
    if (s.find(':') != std::string::npos && inet_pton(AF_INET6, s.c_str(), out.data()) == 1) {
        return out;
    }
    if (auto colon = s.find(':'); colon != std::string::npos) s.erase(colon);  // a.b.c.d:port
    in_addr v4{};
    if (inet_pton(AF_INET, s.c_str(), &v4) != 1) return std::nullopt;
    out[10] = out[11] = 0xff;
    std::memcpy(out.data() + 12, &v4, 4);
    return out;
}

std::optional<Cidr> Cidr::parse(std::string_view text) {
    std::string s(text);
    int prefix = -1;
    if (auto slash = s.find('/'); slash != std::string::npos) {
        try {
            std::size_t used = 0;
            prefix = std::stoi(s.substr(slash + 1), &used);
            if (used != s.size() - slash - 1) return std::nullopt;
        } catch (const std::exception&) {
            return std::nullopt;
        }
        s.erase(slash);
    }
    auto address = parseAddress(s);
    if (!address) return std::nullopt;
    Cidr c;
    c.bytes = *address;
    const bool v4 = isV4Mapped(*address) && s.find(':') == std::string::npos;
    const int max = v4 ? 32 : 128;
    if (prefix < 0) prefix = max;
    if (prefix > max) return std::nullopt;
    c.prefix = v4 ? prefix + 96 : prefix;
    return c;
}

bool Cidr::contains(const std::array<std::uint8_t, 16>& address) const noexcept {
    int bits = prefix;
    for (int i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
        std::uint8_t mask = bits >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - bits));
        if ((bytes[i] & mask) != (address[i] & mask)) return false;
    }
    return true;
}

std::string clientKey(const std::string& peer, const std::vector<std::string>& forwarded_for,
                      const std::vector<std::string>& forwarded, const std::vector<Cidr>& trusted) {
    auto peer_address = parseAddress(peer);
    if (!peer_address) return peer;
    auto isTrusted = [&](const std::array<std::uint8_t, 16>& a) {
        for (const auto& c : trusted) {
            if (c.contains(a)) return true;
        }
        return false;
    };
    if (!isTrusted(*peer_address)) return keyOf(*peer_address);
    std::vector<std::string> hops;
    if (!forwarded_for.empty()) {
        splitList(forwarded_for, hops);
    } else {
        std::vector<std::string> elements;
        splitList(forwarded, elements);
        for (const auto& e : elements) {
            std::size_t pos = 0;
            while (pos < e.size()) {
                auto end = e.find(';', pos);
                if (end == std::string::npos) end = e.size();
                std::string pair = trim(std::string_view(e).substr(pos, end - pos));
                if (pair.size() > 4 &&
                    (pair.compare(0, 4, "for=") == 0 || pair.compare(0, 4, "For=") == 0)) {
                    hops.push_back(trim(pair.substr(4)));
                }
                pos = end + 1;
            }
        }
    }
    std::array<std::uint8_t, 16> client = *peer_address;
    for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
        auto hop = parseAddress(*it);
        if (!hop) break;  // garbage or "unknown": stop at the last address we could trust
        client = *hop;
        if (!isTrusted(*hop)) break;
    }
    return keyOf(client);
}

}  // namespace portico::plugins::ratelimit
