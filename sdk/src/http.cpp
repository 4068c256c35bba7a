#include "portico/sdk/http.hpp"

#include <algorithm>

namespace portico::sdk {

namespace {

char lowerAscii(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

int hexValue(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string hostWithoutPort(std::string_view value) {
    std::string_view name = value.substr(0, value.find(':'));
    if (!value.empty() && value.front() == '[') {
        const auto close = value.find(']');
        name =
            value.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1);
    }
    std::string out(name);
    for (auto& c : out) c = lowerAscii(c);
    return out;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lowerAscii(a[i]) != lowerAscii(b[i])) return false;
    }
    return true;
}

bool isSaneRequestId(std::string_view id) noexcept {
    if (id.empty() || id.size() > 64) return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               c == '-' || c == '_' || c == '.';
    });
}

std::string percentDecode(std::string_view text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '%' && i + 2 < text.size()) {
            const int hi = hexValue(text[i + 1]);
            const int lo = hexValue(text[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out += static_cast<char>(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        out += (plus_is_space && c == '+') ? ' ' : c;
    }
    return out;
}

std::optional<std::string> Headers::get(std::string_view name) const {
    if (const std::string* value = find(name)) return *value;
    return std::nullopt;
}

const std::string* Headers::find(std::string_view name) const noexcept {
    for (const auto& [key, value] : fields_) {
        if (iequals(key, name)) return &value;
    }
    return nullptr;
}

std::string Headers::getOr(std::string_view name, std::string_view fallback) const {
    const std::string* value = find(name);
    return value ? *value : std::string(fallback);
}

bool Headers::has(std::string_view name) const { return find(name) != nullptr; }

void Headers::set(std::string name, std::string value) {
    // Keep the position of the first occurrence so the field order stays stable.
    auto first = std::find_if(fields_.begin(), fields_.end(),
                              [&](const Field& f) { return iequals(f.first, name); });
    if (first == fields_.end()) {
        add(std::move(name), std::move(value));
        return;
    }
    first->first = std::move(name);
    first->second = std::move(value);
    const std::string& kept = first->first;
    fields_.erase(std::remove_if(first + 1, fields_.end(),
                                 [&](const Field& f) { return iequals(f.first, kept); }),
                  fields_.end());
}

void Headers::add(std::string name, std::string value) {
    // A response gathers about a dozen fields (security headers, caching, encoding): one
    // allocation instead of five growth steps.
    if (fields_.capacity() == 0) fields_.reserve(16);
    fields_.emplace_back(std::move(name), std::move(value));
}

void Headers::remove(std::string_view name) {
    fields_.erase(std::remove_if(fields_.begin(), fields_.end(),
                                 [&](const Field& f) { return iequals(f.first, name); }),
                  fields_.end());
}

std::optional<std::string> Request::queryParam(std::string_view name) const {
    std::string_view rest = query;
    while (!rest.empty()) {
        const std::size_t amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
        if (pair.empty()) continue;
        const std::size_t eq = pair.find('=');
        const std::string_view key = pair.substr(0, eq);
        if (percentDecode(key, true) != name) continue;
        if (eq == std::string_view::npos) return std::string();
        return percentDecode(pair.substr(eq + 1), true);
    }
    return std::nullopt;
}

void Response::send(int code, std::string content_type, std::string text) {
    status = code;
    headers.set("Content-Type", std::move(content_type));
    body = std::move(text);
    resource.reset();
}

void Response::serve(std::shared_ptr<const Resource> res) {
    status = 200;
    body.clear();
    resource = std::move(res);
}

const char* reasonPhrase(int status) noexcept {
    switch (status) {
        case 100:
            return "Continue";
        case 101:
            return "Switching Protocols";
        case 102:
            return "Processing";
        case 103:
            return "Early Hints";
        case 200:
            return "OK";
        case 201:
            return "Created";
        case 202:
            return "Accepted";
        case 203:
            return "Non-Authoritative Information";
        case 204:
            return "No Content";
        case 205:
            return "Reset Content";
        case 206:
            return "Partial Content";
        case 207:
            return "Multi-Status";
        case 208:
            return "Already Reported";
        case 226:
            return "IM Used";
        case 300:
            return "Multiple Choices";
        case 301:
            return "Moved Permanently";
        case 302:
            return "Found";
        case 303:
            return "See Other";
        case 304:
            return "Not Modified";
        case 305:
            return "Use Proxy";
        case 307:
            return "Temporary Redirect";
        case 308:
            return "Permanent Redirect";
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 402:
            return "Payment Required";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 406:
            return "Not Acceptable";
        case 407:
            return "Proxy Authentication Required";
        case 408:
            return "Request Timeout";
        case 409:
            return "Conflict";
        case 410:
            return "Gone";
        case 411:
            return "Length Required";
        case 412:
            return "Precondition Failed";
        case 413:
            return "Content Too Large";
        case 414:
            return "URI Too Long";
        case 415:
            return "Unsupported Media Type";
        case 416:
            return "Range Not Satisfiable";
        case 417:
            return "Expectation Failed";
        case 418:
            return "I'm a teapot";
        case 421:
            return "Misdirected Request";
        case 422:
            return "Unprocessable Content";
        case 423:
            return "Locked";
        case 424:
            return "Failed Dependency";
        case 425:
            return "Too Early";
        case 426:
            return "Upgrade Required";
        case 428:
            return "Precondition Required";
        case 429:
            return "Too Many Requests";
        case 431:
            return "Request Header Fields Too Large";
        case 451:
            return "Unavailable For Legal Reasons";
        case 500:
            return "Internal Server Error";
        case 501:
            return "Not Implemented";
        case 502:
            return "Bad Gateway";
        case 503:
            return "Service Unavailable";
        case 504:
            return "Gateway Timeout";
        case 505:
            return "HTTP Version Not Supported";
        case 506:
            return "Variant Also Negotiates";
        case 507:
            return "Insufficient Storage";
        case 508:
            return "Loop Detected";
        case 511:
            return "Network Authentication Required";
        default:
            return "Unknown";
    }
}

namespace {

// Length of the valid UTF-8 sequence starting at text[i] (2..4), or 0 if there is none; its
// code point goes to `cp`.
std::size_t utf8Length(std::string_view text, std::size_t i, std::uint32_t& cp) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    std::size_t len = 0;
    cp = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        len = 2;
        cp = lead & 0x1Fu;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        len = 3;
        cp = lead & 0x0Fu;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        len = 4;
        cp = lead & 0x07u;
    } else {
        return 0;
    }
    if (i + len > text.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        if ((byte(i + k) & 0xC0u) != 0x80u) return 0;
        cp = (cp << 6) | (byte(i + k) & 0x3Fu);
    }
    const bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
    if (overlong || surrogate || cp > 0x10FFFF) return 0;
    return len;
}

// Code points that move the cursor or reorder text on a terminal though they are not C0/C1:
// line and paragraph separators, bidirectional embeddings, overrides and isolates.
bool invisibleControl(std::uint32_t cp) {
    return (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace

std::string escapeControls(std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x7F && c != '\\') {
            out += static_cast<char>(c);
            ++i;
            continue;
        }
        switch (c) {
            case '\\':
                out += "\\\\";
                ++i;
                continue;
            case '\n':
                out += "\\n";
                ++i;
                continue;
            case '\r':
                out += "\\r";
                ++i;
                continue;
            case '\t':
                out += "\\t";
                ++i;
                continue;
            default:
                break;
        }
        if (c >= 0x80) {
            std::uint32_t cp = 0;
            if (std::size_t len = utf8Length(text, i, cp)) {
                if (invisibleControl(cp)) {
                    out += "\\u";
                    for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(cp >> shift) & 15u];
                } else {
                    out.append(text.substr(i, len));
                }
                i += len;
                continue;
            }
        }
        out += "\\x";
        out += kHex[c >> 4];
        out += kHex[c & 15u];
        ++i;
    }
    return out;
}

std::string escapeHtml(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

}  // namespace portico::sdk
