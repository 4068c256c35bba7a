#include "overload.hpp"

#include <algorithm>

namespace portico::host::transport {

std::chrono::steady_clock::duration scaledTimeout(std::chrono::steady_clock::duration configured,
                                                  std::chrono::steady_clock::duration floor,
                                                  double occupancy) noexcept {
    floor = std::min(floor, configured);
    if (occupancy <= kShrinkFrom) return configured;
    if (occupancy >= kShrinkTo) return floor;
    const double left = (kShrinkTo - occupancy) / (kShrinkTo - kShrinkFrom);  // 1 .. 0
    const auto span = configured - floor;
    return floor + std::chrono::duration_cast<std::chrono::steady_clock::duration>(span * left);
}

bool ClientTable::acquire(const std::string& address, std::uint32_t limit) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto& count = open_[address];
    if (count >= limit) {
        if (count == 0) open_.erase(address);
        return false;
    }
    ++count;
    return true;
}

void ClientTable::release(const std::string& address) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = open_.find(address);
    if (it == open_.end()) return;
    if (--it->second == 0) open_.erase(it);
}

std::size_t ClientTable::size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return open_.size();
}

}  // namespace portico::host::transport
