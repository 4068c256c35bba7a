#include "memory_store.hpp"

#include <functional>

namespace portico::plugins::ratelimit {

MemoryStore::MemoryStore(std::size_t max_keys)
    : per_shard_(std::max<std::size_t>(1, max_keys / kShards)) {}

Decision MemoryStore::check(const std::string& key, const Rate& rate, std::int64_t now_ns) {
    Shard& shard = shards_[std::hash<std::string>{}(key) % kShards];
    std::lock_guard lock(shard.mutex);
    auto it = shard.tat.find(key);
    if (it == shard.tat.end()) {
        if (shard.tat.size() >= per_shard_) {
            // Full: drop the recovered entries first, else one at random (that client gains).
            for (auto e = shard.tat.begin(); e != shard.tat.end();) {
                e = e->second <= now_ns ? shard.tat.erase(e) : std::next(e);
            }
            if (shard.tat.size() >= per_shard_) {
                shard.tat.erase(shard.tat.begin());
                ++shard.evictions;
            }
        }
        it = shard.tat.emplace(key, 0).first;
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
                ++dropped;
            } else {
                ++e;
            }
        }
    }
    return dropped;
}

std::size_t MemoryStore::size() const {
    std::size_t n = 0;
    for (const auto& shard : shards_) {
        std::lock_guard lock(shard.mutex);
        n += shard.tat.size();
    }
    return n;
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
