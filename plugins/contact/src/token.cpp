#include "token.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/HMACEngine.h>
#include <Poco/SHA2Engine.h>

#include "portico/sdk/random.hpp"

namespace portico::plugins::contact {

namespace {

// Poco's HMACEngine wants the block and digest sizes as enum members.
class Sha256 : public Poco::SHA2Engine {
public:
    enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
    Sha256() : Poco::SHA2Engine(Poco::SHA2Engine::SHA_256) {}
};

bool equalConstantTime(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    }
    return diff == 0;
}

constexpr std::size_t kNonceDigits = 16;

}  // namespace

std::string hmacHex(const std::string& key, const std::string& data) {
    Poco::HMACEngine<Sha256> hmac(key);
    hmac.update(data);
    return Poco::DigestEngine::digestToHex(hmac.digest());
}

std::string issueToken(const std::string& secret, std::int64_t now_seconds, std::string nonce) {
    if (nonce.empty()) nonce = sdk::randomHex(kNonceDigits / 2);
    const std::string signed_part = std::to_string(now_seconds) + "." + nonce;
    return signed_part + "." + hmacHex(secret, "contact-form:" + signed_part);
}

TokenCheck checkToken(const std::string& secret, const std::string& token, std::int64_t now_seconds,
                      std::int64_t min_fill_seconds, std::int64_t max_age_seconds) {
    const auto dot = token.find('.');
    const auto second = token.find('.', dot == std::string::npos ? token.size() : dot + 1);
    if (dot == std::string::npos || dot == 0 || dot > 18 || second == std::string::npos ||
        second - dot - 1 != kNonceDigits) {
        return TokenCheck::kInvalid;
    }
    const std::string issued = token.substr(0, dot);
    for (char c : issued) {
        if (c < '0' || c > '9') return TokenCheck::kInvalid;
    }
    if (!equalConstantTime(token.substr(second + 1),
                           hmacHex(secret, "contact-form:" + token.substr(0, second)))) {
        return TokenCheck::kInvalid;
    }
    const std::int64_t age = now_seconds - std::stoll(issued);
    if (age < min_fill_seconds) return TokenCheck::kTooFast;
    if (age > max_age_seconds) return TokenCheck::kExpired;
    return TokenCheck::kOk;
}

}  // namespace portico::plugins::contact
