#pragma once

#include <cstdint>

namespace portico::plugins::ratelimit {

/// A rate: `limit` requests per `period_ns`, at most `burst` at once. In any window of one
/// period no more than limit + burst requests pass.
struct Rate {
    std::int64_t limit = 1;
    std::int64_t period_ns = 1'000'000'000;
    std::int64_t burst = 1;
    /// Emission interval: the time one request "costs".
    std::int64_t interval() const noexcept { return period_ns / limit; }
    /// How far the theoretical arrival time may run ahead of now.
    std::int64_t tolerance() const noexcept { return interval() * burst; }
};

/// What one check decided.
struct Decision {
    bool allowed = false;
    std::int64_t remaining = 0;       ///< requests still allowed right now
    std::int64_t retry_after_ns = 0;  ///< when denied: time until one request passes
    std::int64_t reset_ns = 0;        ///< time until the full burst is available again
};

/// The generic cell rate algorithm, on one key's stored theoretical arrival time `tat` (0 for
/// a new key). Pure: `now_ns` comes from the caller's clock. Updates `tat` when allowed.
Decision gcra(const Rate& rate, std::int64_t& tat, std::int64_t now_ns) noexcept;

}  // namespace portico::plugins::ratelimit
