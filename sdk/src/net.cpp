#include "portico/sdk/net.hpp"

#include <arpa/inet.h>

#include <cstdio>
#include <cstring>

namespace portico::sdk {
namespace {

std::string trim(std::string_view s) {
    auto a = s.find_first_not_of(" \t\"");
    if (a == std::string_view::npos) return "";
    auto b = s.find_last_not_of(" \t\"");
    return std::string(s.substr(a, b - a + 1));
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

// The for= parameters of Forwarded (RFC 7239) elements, in order.
void forwardedFor(const std::vector<std::string>& values, std::vector<std::string>& hops) {
    std::vector<std::string> elements;
    splitList(values, elements);
    for (const auto& e : elements) {
        std::size_t pos = 0;
        while (pos < e.size()) {
            auto end = e.find(';', pos);
            if (end == std::string::npos) end = e.size();
            std::string pair = trim(std::string_view(e).substr(pos, end - pos));
            if (pair.size() > 4 && iequals(std::string_view(pair).substr(0, 4), "for=")) {
                hops.push_back(trim(pair.substr(4)));
            }
            pos = end + 1;
        }
    }
}

}  // namespace

bool isV4Mapped(const IpAddress& a) noexcept {
    for (int i = 0; i < 10; ++i) {
        if (a[i] != 0) return false;
    }
    return a[10] == 0xff && a[11] == 0xff;
}

std::string formatAddress(const IpAddress& a) {
    char buf[INET6_ADDRSTRLEN];
    if (isV4Mapped(a)) {
        std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", a[12], a[13], a[14], a[15]);
        return buf;
    }
    if (inet_ntop(AF_INET6, a.data(), buf, sizeof buf) == nullptr) return "";
    return buf;
}

std::optional<IpAddress> parseAddress(std::string_view text) {
    std::string s = trim(text);
    if (!s.empty() && s.front() == '[') {
        auto close = s.find(']');
        if (close == std::string::npos) return std::nullopt;
        s = s.substr(1, close - 1);
    }
    if (auto zone = s.find('%'); zone != std::string::npos) s.erase(zone);
    IpAddress out{};
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

bool Cidr::contains(const IpAddress& address) const noexcept {
    int bits = prefix;
    for (int i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
        std::uint8_t mask = bits >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - bits));
        if ((bytes[i] & mask) != (address[i] & mask)) return false;
    }
    return true;
}

std::string forwardedClient(const std::string& peer, const Headers& headers,
                            const std::vector<Cidr>& trusted) {
    // The common case, on every request: no proxy, a dotted IPv4 peer already in its one form.
    if (trusted.empty() && peer.find(':') == std::string::npos && parseAddress(peer)) {
        return peer;
    }
    auto peer_address = parseAddress(peer);
    if (!peer_address) return peer;
    auto is_trusted = [&](const IpAddress& a) {
        for (const auto& c : trusted) {
            if (c.contains(a)) return true;
        }
        return false;
    };
    if (trusted.empty() || !is_trusted(*peer_address)) return formatAddress(*peer_address);
    std::vector<std::string> forwarded_for, forwarded;
    for (const auto& [name, value] : headers.fields()) {
        if (iequals(name, "X-Forwarded-For")) forwarded_for.push_back(value);
        if (iequals(name, "Forwarded")) forwarded.push_back(value);
    }
    std::vector<std::string> hops;
    if (!forwarded_for.empty()) {
        splitList(forwarded_for, hops);
    } else {
        forwardedFor(forwarded, hops);
    }
    IpAddress client = *peer_address;
    for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
        auto hop = parseAddress(*it);
        if (!hop) break;  // garbage or "unknown": stop at the last address we could trust
        client = *hop;
        if (!is_trusted(*hop)) break;
    }
    return formatAddress(client);
}

}  // namespace portico::sdk
