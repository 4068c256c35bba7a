#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "gcra.hpp"

namespace portico::plugins::ratelimit {

/// Where GCRA state lives. Implementations are thread-safe.
class Store {
public:
    virtual ~Store() = default;
    /// Applies one request of `key` at `now_ns` (the caller's monotonic clock; a store with a
    /// clock of its own may ignore it). Nullopt when the backend could not be asked; the
    /// caller then applies `on_backend_error`.
    virtual std::optional<Decision> check(const std::string& key, const Rate& rate,
                                          std::int64_t now_ns) = 0;
};

}  // namespace portico::plugins::ratelimit
