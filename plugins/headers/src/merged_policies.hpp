#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "config.hpp"

namespace portico::plugins::headers {

/// A configured policy merged with what responses contribute, remembered per contribution: a
/// site sends few distinct ones (an analytics origin, a form's endpoint), so each is parsed,
/// merged and rendered once instead of on every response. Reads take no lock; once
/// `kRemembered` contributions are known, further ones are merged per response.
class MergedPolicies {
public:
    static constexpr std::size_t kRemembered = 16;

    explicit MergedPolicies(Csp base);
    ~MergedPolicies();
    MergedPolicies(const MergedPolicies&) = delete;
    MergedPolicies& operator=(const MergedPolicies&) = delete;

    /// The base policy rendered, for a response that contributes nothing.
    const std::string& alone() const noexcept { return alone_; }

    /// The base policy merged with `contribution` (a Content-Security-Policy value found on a
    /// response), rendered. Any thread; throws only std::bad_alloc.
    std::string merged(std::string_view contribution) const;

private:
    struct Entry {
        std::string contribution;
        std::string merged;
    };

    Csp base_;
    std::string alone_;
    mutable std::array<std::atomic<const Entry*>, kRemembered> entries_{};
    mutable std::mutex insert_;  // writers only: one entry is published at a time
};

}  // namespace portico::plugins::headers
