#pragma once

#include <string>
#include <string_view>

#include "config.hpp"
#include "portico/sdk/memo.hpp"

namespace portico::plugins::headers {

/// A configured policy merged with what responses contribute, remembered per contribution
/// (`sdk::TextMemo`): a site sends few distinct ones (an analytics origin, a form's endpoint),
/// so each is parsed, merged and rendered once instead of on every response.
class MergedPolicies {
public:
    static constexpr std::size_t kRemembered = sdk::TextMemo::kCapacity;

    explicit MergedPolicies(Csp base);

    /// The base policy rendered, for a response that contributes nothing.
    const std::string& alone() const noexcept { return alone_; }

    /// The base policy merged with `contribution` (a Content-Security-Policy value found on a
    /// response), rendered. Any thread; throws only std::bad_alloc.
    std::string merged(std::string_view contribution) const;

private:
    Csp base_;
    std::string alone_;
    sdk::TextMemo memo_;
};

}  // namespace portico::plugins::headers
