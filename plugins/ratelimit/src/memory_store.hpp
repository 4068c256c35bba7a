#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "gcra.hpp"
#include "store.hpp"

namespace portico::plugins::ratelimit {

/// GCRA state per key in memory, bounded: at most `max_keys` entries (split over shards);
/// entries whose state has fully recovered are dropped by `sweep()` and, when a shard is full,
/// on insert (then, if none has recovered, an arbitrary entry goes: that client starts afresh).
/// Thread-safe.
class MemoryStore final : public Store {
public:
    explicit MemoryStore(std::size_t max_keys);
    /// Never nullopt.
    std::optional<Decision> check(const std::string& key, const Rate& rate,
                                  std::int64_t now_ns) override;
    /// Drops every entry that has recovered by `now_ns`; returns how many.
    std::size_t sweep(std::int64_t now_ns);
    /// Entries held now; lock-free, cheap enough to read per request.
    std::size_t size() const noexcept { return size_.load(std::memory_order_relaxed); }
    /// How many entries were dropped before recovering because the table was full.
    std::uint64_t evictions() const;

private:
    static constexpr std::size_t kShards = 16;
    static constexpr std::int64_t kScanIntervalNs = 1'000'000'000;
    struct Shard {
        mutable std::mutex mutex;
        std::unordered_map<std::string, std::int64_t> tat;  // theoretical arrival time
        std::uint64_t evictions = 0;
        std::int64_t next_scan_ns = 0;  ///< a full shard looks for recovered entries from then
    };
    std::size_t per_shard_;
    std::array<Shard, kShards> shards_;
    std::atomic<std::size_t> size_{0};
};

}  // namespace portico::plugins::ratelimit
