#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace portico::plugins::sitemap {

/// One group of robots.txt rules.
struct RuleGroup {
    std::string user_agent = "*";
    std::vector<std::string> allow;
    std::vector<std::string> disallow;
};

/// What one host serves as /robots.txt and whether it lists its sitemap.
struct HostPolicy {
    std::string host;  ///< empty: the main site (every host without its own policy)
    std::vector<RuleGroup> rules;
    bool sitemap = true;
};

/// robots.txt text: each group ("User-agent", "Allow", "Disallow"; an empty group allows
/// everything), then "Sitemap: <absolute URL>" when `sitemap_url` is not empty. Pure.
std::string robotsTxt(const HostPolicy& policy, const std::string& sitemap_url);

/// Reads the schema-validated `hosts` array.
std::vector<HostPolicy> readPolicies(const nlohmann::json& hosts);

}  // namespace portico::plugins::sitemap
