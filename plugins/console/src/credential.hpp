#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace portico::plugins::console {

/// The operator's password as stored: PBKDF2-HMAC-SHA256 (OpenSSL's PKCS5_PBKDF2_HMAC) with a
/// random salt, written "pbkdf2-sha256:ITERATIONS:SALT_HEX:HASH_HEX" (no '$', so the value
/// survives shells, .env files and the config's ${VAR} substitution as it is).
struct PasswordHash {
    std::uint32_t iterations = 0;
    std::string salt;    ///< raw bytes
    std::string digest;  ///< raw bytes, 32
};

/// What `portico console hash-password` uses (OWASP's figure for PBKDF2-HMAC-SHA256, 2023).
constexpr std::uint32_t kDefaultIterations = 600000;
/// Fewer iterations are refused as a config error.
constexpr std::uint32_t kMinIterations = 10000;

/// Parses the stored form; nullopt with `why` (lowercase, for a config error) when malformed.
std::optional<PasswordHash> parsePasswordHash(std::string_view text, std::string& why);

/// A new hash of `password` with a fresh 16-byte salt from the system's CSPRNG.
std::string makePasswordHash(std::string_view password, std::uint32_t iterations);

/// Compares two byte strings in time that depends on their length only (OpenSSL's
/// CRYPTO_memcmp); different lengths compare unequal at once (the lengths are public).
bool constantTimeEqual(std::string_view a, std::string_view b) noexcept;

/// How verifyPassword compares digests; a test may pass a spy.
using DigestEqual = bool (*)(std::string_view, std::string_view) noexcept;

/// True when `password` derives `hash.digest`; the digests are compared with `equal`.
bool verifyPassword(const PasswordHash& hash, std::string_view password,
                    DigestEqual equal = &constantTimeEqual);

/// HMAC-SHA256 of `text` under `key`, as 64 hex digits.
std::string hmacHex(std::string_view key, std::string_view text);

}  // namespace portico::plugins::console
