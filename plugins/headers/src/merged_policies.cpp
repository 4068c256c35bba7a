#include "merged_policies.hpp"

namespace portico::plugins::headers {

MergedPolicies::MergedPolicies(Csp base) : base_(std::move(base)), alone_(base_.str()) {}

std::string MergedPolicies::merged(std::string_view contribution) const {
    return memo_.get(contribution, [this](std::string_view text) {
        Csp policy = base_;
        policy.merge(Csp::parse(text));
        return policy.str();
    });
}

}  // namespace portico::plugins::headers
