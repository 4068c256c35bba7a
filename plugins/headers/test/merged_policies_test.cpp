#include "merged_policies.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <thread>
#include <vector>

using portico::plugins::headers::Csp;
using portico::plugins::headers::MergedPolicies;

namespace {

std::string mergedByHand(const std::string& base, const std::string& contribution) {
    Csp policy = Csp::parse(base);
    policy.merge(Csp::parse(contribution));
    return policy.str();
}

}  // namespace

TEST_CASE("a remembered merge gives what merging on every response gives") {
    const std::string base = "default-src 'self'; script-src 'self'; frame-ancestors 'none'";
    MergedPolicies policies(Csp::parse(base));
    CHECK(policies.alone() == Csp::parse(base).str());
    const std::string analytics = "script-src https://a.example; connect-src https://a.example";
    for (int round = 0; round < 3; ++round) {
        CHECK(policies.merged(analytics) == mergedByHand(base, analytics));
        CHECK(policies.merged("frame-ancestors *") == mergedByHand(base, "frame-ancestors *"));
    }
    CHECK(policies.merged(analytics) ==
          "default-src 'self'; script-src 'self' https://a.example; frame-ancestors 'none'; "
          "connect-src 'self' https://a.example");
}

TEST_CASE("contributions past the remembered ones are still merged correctly") {
    const std::string base = "default-src 'self'";
    MergedPolicies policies(Csp::parse(base));
    for (int round = 0; round < 2; ++round) {
        for (std::size_t i = 0; i < MergedPolicies::kRemembered + 8; ++i) {
            const std::string contribution = "img-src https://img" + std::to_string(i) + ".example";
            CHECK(policies.merged(contribution) == mergedByHand(base, contribution));
        }
    }
}

TEST_CASE("threads merging the same contributions at once all get the right policy") {
    const std::string base = "default-src 'self'; script-src 'self'";
    MergedPolicies policies(Csp::parse(base));
    std::vector<std::string> contributions;
    for (int i = 0; i < 24; ++i) {
        contributions.push_back("script-src https://s" + std::to_string(i % 20) + ".example");
    }
    std::vector<int> wrong(4, 0);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < wrong.size(); ++t) {
        threads.emplace_back([&, t] {
            for (int round = 0; round < 200; ++round) {
                for (const auto& c : contributions) {
                    if (policies.merged(c) != mergedByHand(base, c)) ++wrong[t];
                }
            }
        });
    }
    for (auto& thread : threads) thread.join();
    CHECK(wrong == std::vector<int>(wrong.size(), 0));
}
