#include "encoding_cache.hpp"

#include <cstdint>

namespace portico::host {
namespace {

// The file format and its version: a new one makes every older file a miss.
constexpr const char* kFormat = "PORTICO-ENCODINGS-2";
constexpr const char* kSuffix = ".enc";

// The payload: the gzip length (8 bytes, little-endian), the gzip bytes, the brotli bytes.
std::string payloadOf(const sdk::Encodings& coded) {
    std::string out;
    const std::uint64_t n = coded.gzip.size();
    for (int i = 0; i < 8; ++i) out += static_cast<char>((n >> (8 * i)) & 0xFF);
    return out + coded.gzip + coded.brotli;
}

bool encodingsOf(const std::string& payload, sdk::Encodings& out) {
    if (payload.size() < 8) return false;
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(payload[i]);
    if (n > payload.size() - 8) return false;
    out.gzip = payload.substr(8, n);
    out.brotli = payload.substr(8 + n);
    return true;
}

std::string keyOf(const sdk::FileCache& files, const std::string& body) {
    static const std::string settings = sdk::bestEncodingsVersion();
    return files.key({settings, body});
}

}  // namespace

std::string encodeEncodingsFile(const std::string& key, const sdk::Encodings& coded) {
    return sdk::encodeCacheFile(kFormat, key, payloadOf(coded));
}

bool decodeEncodingsFile(const std::string& bytes, const std::string& key, sdk::Encodings& out) {
    auto payload = sdk::decodeCacheFile(bytes, kFormat, key);
    return payload && encodingsOf(*payload, out);
}

EncodingCache::EncodingCache(std::string dir) : files_(std::move(dir), kFormat, kSuffix) {}

std::string EncodingCache::fileName(const std::string& body) {
    static const sdk::FileCache naming("", kFormat, kSuffix);
    return naming.fileName(keyOf(naming, body));
}

sdk::Encodings EncodingCache::get(const std::string& body) {
    const std::string key = keyOf(files_, body);
    sdk::Encodings coded;
    bool computed = false;
    std::string payload = files_.get(key, [&] {
        computed = true;
        coded = sdk::bestEncodings(body);
        return payloadOf(coded);
    });
    if (!computed && !encodingsOf(payload, coded)) coded = sdk::bestEncodings(body);
    return coded;
}

std::size_t EncodingCache::prune() { return files_.prune(); }

}  // namespace portico::host
