#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>

namespace portico::sdk {

/// Remembers the results of a pure function of a short text for the few distinct inputs a site
/// sends (a Content-Security-Policy per path override, an origin): each is computed once, and
/// later calls find it without taking a lock. Once `kCapacity` inputs are known, further ones are
/// computed on every call.
///
/// Make it a member of the plugin object (or of something the plugin owns), never a
/// `thread_local`: a thread_local object with a destructor keeps the plugin's library in memory
/// for as long as the host's worker threads live, so an upgrade could never unload it.
class TextMemo {
public:
    static constexpr std::size_t kCapacity = 16;

    TextMemo() = default;
    ~TextMemo();
    TextMemo(const TextMemo&) = delete;
    TextMemo& operator=(const TextMemo&) = delete;

    /// The result remembered for `key`, or null. Any thread; never throws.
    const std::string* find(std::string_view key) const noexcept;

    /// Remembers `value` for `key` unless the memo is full or already knows `key` (another
    /// thread was first; for a pure function its value is the same). Returns `value`. Any
    /// thread; throws only std::bad_alloc.
    std::string remember(std::string_view key, std::string value) const;

    /// The result for `key`: remembered, else `compute(key)` (a `std::string`), remembered.
    /// Any thread, concurrently; `compute` may run more than once for one key when threads
    /// race, so it must be pure.
    template <class Compute>
    std::string get(std::string_view key, Compute&& compute) const {
        if (const std::string* hit = find(key)) return *hit;
        return remember(key, compute(key));
    }

private:
    struct Entry {
        std::string key;
        std::string value;
    };
    // Filled in order and never changed once published: readers stop at the first empty slot.
    mutable std::array<std::atomic<const Entry*>, kCapacity> entries_{};
    mutable std::mutex insert_;  // writers only: one entry is published at a time
};

}  // namespace portico::sdk
