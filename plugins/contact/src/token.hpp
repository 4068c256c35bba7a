#pragma once

#include <cstdint>
#include <string>

namespace portico::plugins::contact {

/// HMAC-SHA256 of `data` with `key`, lowercase hex. Pure.
std::string hmacHex(const std::string& key, const std::string& data);

/// The form token: "<issue time, unix seconds>.<nonce>.<hmac>", signed with the server secret.
/// It proves the form came from this site (CSRF) and tells how long the visitor had it; the
/// random nonce (16 hex digits) makes every served form's token unique, so that it can be
/// accepted once. `nonce` empty: a fresh random one.
std::string issueToken(const std::string& secret, std::int64_t now_seconds, std::string nonce = "");

enum class TokenCheck { kOk, kInvalid, kTooFast, kExpired };

/// Checks a token sent back with a form at `now_seconds`. Pure.
TokenCheck checkToken(const std::string& secret, const std::string& token, std::int64_t now_seconds,
                      std::int64_t min_fill_seconds, std::int64_t max_age_seconds);

}  // namespace portico::plugins::contact
