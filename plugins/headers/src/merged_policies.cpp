#include "merged_policies.hpp"

namespace portico::plugins::headers {

MergedPolicies::MergedPolicies(Csp base) : base_(std::move(base)), alone_(base_.str()) {}

MergedPolicies::~MergedPolicies() {
    for (auto& slot : entries_) delete slot.load(std::memory_order_relaxed);
}

std::string MergedPolicies::merged(std::string_view contribution) const {
    for (const auto& slot : entries_) {
        const Entry* entry = slot.load(std::memory_order_acquire);
        if (!entry) break;  // slots fill in order: the rest are empty
        if (entry->contribution == contribution) return entry->merged;
    }
    Csp policy = base_;
    policy.merge(Csp::parse(contribution));
    std::string text = policy.str();
    std::lock_guard<std::mutex> lock(insert_);
    for (auto& slot : entries_) {
        const Entry* entry = slot.load(std::memory_order_relaxed);
        if (entry && entry->contribution == contribution) break;  // another thread was first
        if (!entry) {
            slot.store(new Entry{std::string(contribution), text}, std::memory_order_release);
            break;
        }
    }
    return text;
}

}  // namespace portico::plugins::headers
