#include "memory_store.hpp"

#include <functional>

namespace portico::plugins::ratelimit {

MemoryStore::MemoryStore(std::size_t max_keys)
    : per_shard_(std::max<std::size_t>(1, max_keys / kShards)) {}

std::optional<Decision> MemoryStore::check(const std::string& key, const Rate& rate,
                                           std::int64_t now_ns) {
    Shard& shard = shards_[std::hash<std::string>{}(key) % kShards];
    std::lock_guard lock(shard.mutex);
    auto it = shard.tat.find(key);
    if (it == shard.tat.end()) {
        if (shard.tat.size() >= per_shard_) {
            // Full: drop the recovered entries first, else one at random (that client gains).
            // The scan runs at most once a second per shard, so a flood of new keys costs one
            // eviction each, not a walk over the whole shard each.
            const std::size_t before = shard.tat.size();
            if (now_ns >= shard.next_scan_ns) {
                for (auto e = shard.tat.begin(); e != shard.tat.end();) {
                    e = e->second <= now_ns ? shard.tat.erase(e) : std::next(e);
                }
                shard.next_scan_ns = now_ns + kScanIntervalNs;
            }
            if (shard.tat.size() >= per_shard_) {
                shard.tat.erase(shard.tat.begin());
                ++shard.evictions;
            }
            size_.fetch_sub(before - shard.tat.size(), std::memory_order_relaxed);
        }
        it = shard.tat.emplace(key, 0).first;
        size_.fetch_add(1, std::memory_order_relaxed);
    }
    return gcra(rate, it->second, now_ns);
}

std::size_t MemoryStore::sweep(std::int64_t now_ns) {
    std::size_t dropped = 0;
    for (auto& shard : shards_) {
        std::lock_guard lock(shard.mutex);
        for (auto e = shard.tat.begin(); e != shard.tat.end();) {
            if (e->second <= now_ns) {
                e = shard.tat.erase(e);
                size_.fetch_sub(1, std::memory_order_relaxed);
                ++dropped;
            } else {
                ++e;
            }
        }
    }
    return dropped;
}

std::uint64_t MemoryStore::evictions() const {
    std::uint64_t n = 0;
    for (const auto& shard : shards_) {
        std::lock_guard lock(shard.mutex);
        n += shard.evictions;
    }
    return n;
}

}  // namespace portico::plugins::ratelimit
