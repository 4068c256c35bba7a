// Raw bytes into the request parser, split at a byte-chosen point and fed the way a connection
// does: request after request, leftovers carried over, stopping at the first error.
#include <cstddef>
#include <cstdint>
#include <string>

#include "transport/request_parser.hpp"

using portico::host::transport::ParserLimits;
using portico::host::transport::RequestParser;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static bool configured = [] {
        RequestParser::configureLibrary(16 * 1024);
        return true;
    }();
    (void)configured;
    if (size == 0) return 0;
    ParserLimits limits{2048, 20, 512, 4096};
    RequestParser parser(limits);
    portico::sdk::Request request;
    std::size_t split = data[0] % (size + 1);
    std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
    std::string pending;
    bool in_request = false;
    for (std::size_t part = 0; part < 2; ++part) {
        std::string chunk = part == 0 ? input.substr(0, std::min(split, input.size()))
                                      : input.substr(std::min(split, input.size()));
        pending += chunk;
        std::size_t pos = 0;
        while (pos < pending.size()) {
            if (!in_request) {
                parser.reset(request);
                in_request = true;
            }
            std::size_t used = 0;
            auto result = parser.feed(pending.data() + pos, pending.size() - pos, used);
            if (used > pending.size() - pos) __builtin_trap();
            pos += used;
            if (result == RequestParser::Result::kError) {
                int status = parser.errorStatus();
                if (status < 400 || status > 505) __builtin_trap();
                return 0;
            }
            if (result == RequestParser::Result::kComplete) {
                if (request.method.empty() || request.path.empty()) __builtin_trap();
                if (request.body.size() > limits.max_body_bytes) __builtin_trap();
                in_request = false;
                if (!parser.keepAlive()) return 0;
                continue;
            }
            break;  // needs more
        }
        pending.erase(0, pos);
    }
    return 0;
}
