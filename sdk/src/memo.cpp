#include "portico/sdk/memo.hpp"

namespace portico::sdk {

TextMemo::~TextMemo() {
    for (auto& slot : entries_) delete slot.load(std::memory_order_relaxed);
}

const std::string* TextMemo::find(std::string_view key) const noexcept {
    for (const auto& slot : entries_) {
        const Entry* entry = slot.load(std::memory_order_acquire);
        if (entry == nullptr) break;  // slots fill in order: the rest are empty
        if (entry->key == key) return &entry->value;
    }
    return nullptr;
}

std::string TextMemo::remember(std::string_view key, std::string value) const {
    std::lock_guard<std::mutex> lock(insert_);
    for (auto& slot : entries_) {
        const Entry* entry = slot.load(std::memory_order_relaxed);
        if (entry != nullptr && entry->key == key) break;  // another thread was first
        if (entry == nullptr) {
            slot.store(new Entry{std::string(key), value}, std::memory_order_release);
            break;
        }
    }
    return value;
}

}  // namespace portico::sdk
