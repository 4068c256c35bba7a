#include "portico/sdk/random.hpp"

#include <random>

namespace portico::sdk {

std::string randomHex(std::size_t bytes) {
    std::random_device device;
    static const char* const kHex = "0123456789abcdef";
    std::string out;
    out.reserve(2 * bytes);
    for (std::size_t i = 0; i < bytes; ++i) {
        const unsigned int b = device() & 0xFFu;
        out += kHex[b >> 4];
        out += kHex[b & 0xF];
    }
    return out;
}

}  // namespace portico::sdk
