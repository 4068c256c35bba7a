#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace portico::host::transport {

/// Occupancy at which the header and idle timeouts start to shrink, and at which they reach
/// their floor (Envoy's overload manager: `reduce_timeouts` between two thresholds).
constexpr double kShrinkFrom = 0.5;
constexpr double kShrinkTo = 0.95;

/// The timeout in force at `occupancy` (open connections / max_connections): `configured` up
/// to kShrinkFrom, then linearly down to `floor` at kShrinkTo and beyond. Pure.
std::chrono::steady_clock::duration scaledTimeout(std::chrono::steady_clock::duration configured,
                                                  std::chrono::steady_clock::duration floor,
                                                  double occupancy) noexcept;

/// Open connections per client address, across every I/O loop of a listener, so that one
/// address cannot take the whole connection budget (nginx's limit_conn). Thread-safe.
class ClientTable {
public:
    /// Counts a connection of `address`; false (and nothing counted) when it already has
    /// `limit` open.
    bool acquire(const std::string& address, std::uint32_t limit);
    /// Forgets one connection of `address` counted by acquire().
    void release(const std::string& address);
    /// Addresses with at least one connection.
    std::size_t size() const;

private:
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::uint32_t> open_;
};

}  // namespace portico::host::transport
