#include "response_writer.hpp"

#include <charconv>
#include <ctime>

namespace portico::host::transport {

const std::string& httpDate() {
    thread_local std::time_t cached_second = 0;
    thread_local std::string cached;
    std::time_t now = std::time(nullptr);
    if (now != cached_second) {
        std::tm tm{};
        gmtime_r(&now, &tm);
        char buf[64];
        std::size_t n = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
        cached.assign(buf, n);
        cached_second = now;
    }
    return cached;
}

void writeHead(std::string& out, const Exchange& exchange, Persistence persistence) {
    const auto& res = exchange.response;
    out.clear();
    char number[24];
    auto append_number = [&](std::uint64_t v) {
        auto r = std::to_chars(number, number + sizeof number, v);
        out.append(number, static_cast<std::size_t>(r.ptr - number));
    };
    out.append("HTTP/1.1 ");
    append_number(static_cast<std::uint64_t>(res.status));
    out.push_back(' ');
    out.append(sdk::reasonPhrase(res.status));
    out.append("\r\nDate: ");
    out.append(httpDate());
    out.append("\r\n");
    for (const auto& [name, value] : res.headers.fields()) {
        if (sdk::iequals(name, "Connection") || sdk::iequals(name, "Content-Length") ||
            sdk::iequals(name, "Transfer-Encoding")) {
            continue;
        }
        out.append(name);
        out.append(": ");
        out.append(value);
        out.append("\r\n");
    }
    // A stream's body ends when the connection does (RFC 9112 6.3): no length to announce.
    if (res.status >= 200 && res.status != 204 && res.status != 304 && !exchange.stream) {
        out.append("Content-Length: ");
        append_number(exchange.payload.size());
        out.append("\r\n");
    }
    if (persistence == Persistence::kClose) {
        out.append("Connection: close\r\n");
    } else if (persistence == Persistence::kKeepAlive10) {
        out.append("Connection: keep-alive\r\n");
    }
    out.append("\r\n");
}

}  // namespace portico::host::transport
