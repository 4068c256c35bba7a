#include "classify.hpp"

#include <algorithm>
#include <cctype>

namespace portico::plugins::insights {

namespace {

bool contains(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool speculative(const sdk::Request& req) {
    for (const char* name : {"Sec-Purpose", "Purpose", "X-Purpose", "X-Moz"}) {
        const std::string* value = req.headers.find(name);
        if (value == nullptr) continue;
        const std::string v = lower(*value);
        if (contains(v, "prefetch") || contains(v, "preview") || contains(v, "prerender")) {
            return true;
        }
    }
    return false;
}

// The length of the UTF-8 sequence starting with `lead`, 0 when it cannot start one.
std::size_t sequenceLength(unsigned char lead) {
    if (lead < 0x80) return 1;
    if (lead >= 0xC2 && lead <= 0xDF) return 2;
    if (lead >= 0xE0 && lead <= 0xEF) return 3;
    if (lead >= 0xF0 && lead <= 0xF4) return 4;
    return 0;
}

}  // namespace

bool isPageAnswer(const sdk::Request& req, const sdk::Response& res) noexcept {
    if (req.method != "GET") return false;
    if (res.status != 200 && res.status != 304 && res.status != 404) return false;
    const std::string* type = res.headers.find("Content-Type");
    if (type == nullptr || type->compare(0, 9, "text/html") != 0) return false;
    try {
        return !speculative(req);
    } catch (...) {
        return false;  // bad_alloc: not counting is the safe side
    }
}

Agent classifyAgent(std::string_view user_agent) {
    const std::string ua = lower(user_agent);
    Agent a;
    // Order matters: Edge and Opera say "chrome" too, Chrome says "safari".
    if (contains(ua, "edg/") || contains(ua, "edga/") || contains(ua, "edgios/")) {
        a.browser = "Edge";
    } else if (contains(ua, "opr/") || contains(ua, "opera")) {
        a.browser = "Opera";
    } else if (contains(ua, "samsungbrowser/")) {
        a.browser = "Samsung Internet";
    } else if (contains(ua, "firefox/") || contains(ua, "fxios/")) {
        a.browser = "Firefox";
    } else if (contains(ua, "chrome/") || contains(ua, "crios/") || contains(ua, "chromium/")) {
        a.browser = "Chrome";
    } else if (contains(ua, "safari/") && contains(ua, "version/")) {
        a.browser = "Safari";
    } else {
        a.browser = "Other";
    }
    const bool ipad = contains(ua, "ipad");
    if (contains(ua, "iphone") || ipad || contains(ua, "ipod")) {
        a.os = "iOS";
    } else if (contains(ua, "android")) {
        a.os = "Android";
    } else if (contains(ua, "cros ")) {
        a.os = "ChromeOS";
    } else if (contains(ua, "windows")) {
        a.os = "Windows";
    } else if (contains(ua, "mac os x") || contains(ua, "macintosh")) {
        a.os = "macOS";
    } else if (contains(ua, "linux") || contains(ua, "x11")) {
        a.os = "Linux";
    } else {
        a.os = "Other";
    }
    if (ipad || contains(ua, "tablet") || (a.os == "Android" && !contains(ua, "mobile"))) {
        a.device = "tablet";
    } else if (contains(ua, "mobi") || contains(ua, "iphone") || contains(ua, "ipod")) {
        a.device = "mobile";
    } else {
        a.device = "desktop";
    }
    return a;
}

std::string referrerDomain(std::string_view referer, const std::vector<std::string>& own_hosts) {
    const auto scheme = referer.find("://");
    if (scheme == std::string_view::npos) return "";
    const std::string scheme_name = lower(referer.substr(0, scheme));
    if (scheme_name != "http" && scheme_name != "https") return "";
    std::string_view rest = referer.substr(scheme + 3);
    rest = rest.substr(0, rest.find_first_of("/?#"));
    if (const auto at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
    if (!rest.empty() && rest.front() == '[') return "";  // an address literal says nothing
    rest = rest.substr(0, rest.find(':'));
    std::string host = lower(rest);
    if (host.empty() || host.size() > 253) return "";
    for (char c : host) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.')) return "";
    }
    for (const auto& own : own_hosts) {
        if (host == lower(own)) return "";
    }
    if (host.rfind("www.", 0) == 0) host.erase(0, 4);
    return host;
}

std::string cleanValue(std::string_view text, std::size_t max_bytes) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::size_t n = sequenceLength(lead);
        bool valid = n > 0 && i + n <= text.size();
        for (std::size_t k = 1; valid && k < n; ++k) {
            valid = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
        }
        if (!valid) {
            ++i;
            continue;
        }
        const bool control = n == 1 && (lead < 0x20 || lead == 0x7F);
        const bool c1 = n == 2 && lead == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0;
        if (!control && !c1) {
            if (out.size() + n > max_bytes) break;
            out.append(text.substr(i, n));
        }
        i += n;
    }
    const auto first = out.find_first_not_of(' ');
    if (first == std::string::npos) return "";
    return out.substr(first, out.find_last_not_of(' ') - first + 1);
}

std::string localeOf(std::string_view path, const std::vector<std::string>& locales) {
    if (path.size() < 2 || path.front() != '/') return "";
    std::string_view segment = path.substr(1);
    segment = segment.substr(0, segment.find('/'));
    for (const auto& locale : locales) {
        if (segment == locale) return locale;
    }
    return "";
}

}  // namespace portico::plugins::insights
