#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "config.hpp"
#include "portico/sdk/clock.hpp"

namespace portico::plugins::console {

/// Who may use the console: the login (password checked in constant time, failures limited
/// per client address), sessions in memory, and the CSRF token of each session. Thread-safe.
class Guard {
public:
    enum class Login { kOk, kWrong, kLimited };

    /// `equal` compares password digests (constant time; a test may pass a spy).
    Guard(const ConsoleConfig& config, const sdk::Clock& clock,
          DigestEqual equal = &constantTimeEqual);

    /// True when a password is configured, so every page but the login needs a session.
    bool required() const noexcept { return password_.has_value(); }
    /// Checks `password` for `client`; on kOk `session` is a new session id.
    Login login(const std::string& client, const std::string& password, std::string& session);
    /// True when `session` is a live session (always true when no login is required).
    bool valid(const std::string& session) const;
    void logout(const std::string& session);
    /// The CSRF token forms of `session` carry ("" without a login): an HMAC of the session
    /// under a secret made at start, so it is never stored and dies with the session.
    std::string csrfToken(const std::string& session) const;
    /// True when `token` is `session`'s CSRF token (compared in constant time).
    bool csrfValid(const std::string& session, const std::string& token) const;
    std::chrono::minutes sessionLength() const noexcept { return session_length_; }

private:
    bool limited(const std::string& client, std::chrono::steady_clock::time_point now);

    std::optional<PasswordHash> password_;
    std::chrono::minutes session_length_;
    std::uint32_t attempts_;
    std::chrono::minutes window_;
    const sdk::Clock& clock_;
    DigestEqual equal_;
    const std::string secret_;

    mutable std::mutex mutex_;
    std::map<std::string, std::chrono::steady_clock::time_point> sessions_;  // id -> expiry
    std::map<std::string, std::deque<std::chrono::steady_clock::time_point>>
        failures_;  // client -> times
};

}  // namespace portico::plugins::console
