#include "credential.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>
#include <vector>

#include "portico/sdk/random.hpp"

namespace portico::plugins::console {

namespace {

constexpr std::string_view kScheme = "pbkdf2-sha256";
constexpr std::size_t kDigestBytes = 32;

std::string toHex(std::string_view bytes) {
    static const char* const kDigits = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out += kDigits[c >> 4];
        out += kDigits[c & 15];
    }
    return out;
}

std::optional<std::string> fromHex(std::string_view hex) {
    if (hex.size() % 2 != 0) return std::nullopt;
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string out;
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        const int hi = nibble(hex[i]);
        const int lo = nibble(hex[i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out += static_cast<char>(hi * 16 + lo);
    }
    return out;
}

std::string derive(std::string_view password, const std::string& salt, std::uint32_t iterations) {
    std::string out(kDigestBytes, '\0');
    if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                          reinterpret_cast<const unsigned char*>(salt.data()),
                          static_cast<int>(salt.size()), static_cast<int>(iterations), EVP_sha256(),
                          static_cast<int>(out.size()),
                          reinterpret_cast<unsigned char*>(out.data())) != 1) {
        throw std::runtime_error("PBKDF2 failed");
    }
    return out;
}

}  // namespace

std::optional<PasswordHash> parsePasswordHash(std::string_view text, std::string& why) {
    const std::string expected =
        "expected pbkdf2-sha256:ITERATIONS:SALT:HASH from `portico console hash-password`";
    std::vector<std::string_view> parts;
    for (std::size_t colon = 0; colon != std::string_view::npos;) {
        colon = text.find(':');
        parts.push_back(text.substr(0, colon));
        if (colon != std::string_view::npos) text.remove_prefix(colon + 1);
    }
    if (parts.size() != 4 || parts[0] != kScheme || parts[1].empty()) {
        why = expected;
        return std::nullopt;
    }
    PasswordHash hash;
    std::uint64_t iterations = 0;
    for (char c : parts[1]) {
        if (c < '0' || c > '9' || iterations > 100000000) {
            why = expected;
            return std::nullopt;
        }
        iterations = iterations * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (iterations < kMinIterations || iterations > 100000000) {
        why = "at least " + std::to_string(kMinIterations) + " iterations, got " +
              std::to_string(iterations);
        return std::nullopt;
    }
    auto salt = fromHex(parts[2]);
    auto digest = fromHex(parts[3]);
    if (!salt || salt->size() < 8 || !digest || digest->size() != kDigestBytes) {
        why = expected + " (salt: 16 or more hex digits, hash: 64)";
        return std::nullopt;
    }
    hash.iterations = static_cast<std::uint32_t>(iterations);
    hash.salt = std::move(*salt);
    hash.digest = std::move(*digest);
    return hash;
}

std::string makePasswordHash(std::string_view password, std::uint32_t iterations) {
    const std::string salt = *fromHex(sdk::randomHex(16));
    return std::string(kScheme) + ":" + std::to_string(iterations) + ":" + toHex(salt) + ":" +
           toHex(derive(password, salt, iterations));
}

bool constantTimeEqual(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool verifyPassword(const PasswordHash& hash, std::string_view password, DigestEqual equal) {
    return equal(derive(password, hash.salt, hash.iterations), hash.digest);
}

std::string hmacHex(std::string_view key, std::string_view text) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(text.data()), text.size(), out, &size);
    return toHex(std::string_view(reinterpret_cast<const char*>(out), size));
}

}  // namespace portico::plugins::console
