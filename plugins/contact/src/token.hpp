#pragma once

#include <cstdint>
#include <string>

namespace portico::plugins::contact {

/// HMAC-SHA256 of `data` with `key`, lowercase hex. Pure.
std::string hmacHex(const std::string& key, const std::string& data);

/// The form token: "<issue time, unix seconds>.<hmac>", signed with the server secret. It
/// proves the form came from this site (CSRF) and tells how long the visitor had it.
std::string issueToken(const std::string& secret, std::int64_t now_seconds);

enum class TokenCheck { kOk, kInvalid, kTooFast, kExpired };

/// Checks a token sent back with a form at `now_seconds`. Pure.
TokenCheck checkToken(const std::string& secret, const std::string& token, std::int64_t now_seconds,
                      std::int64_t min_fill_seconds, std::int64_t max_age_seconds);

}  // namespace portico::plugins::contact
