#include "robots.hpp"

namespace portico::plugins::sitemap {

std::string robotsTxt(const HostPolicy& policy, const std::string& sitemap_url) {
    std::string out;
    for (const auto& group : policy.rules) {
        if (!out.empty()) out += "\n";
        out += "User-agent: " + group.user_agent + "\n";
        for (const auto& path : group.allow) out += "Allow: " + path + "\n";
        for (const auto& path : group.disallow) out += "Disallow: " + path + "\n";
        if (group.allow.empty() && group.disallow.empty()) out += "Disallow:\n";
    }
    if (!sitemap_url.empty()) out += (out.empty() ? "" : "\n") + ("Sitemap: " + sitemap_url + "\n");
    return out;
}

std::vector<HostPolicy> readPolicies(const nlohmann::json& hosts) {
    std::vector<HostPolicy> out;
    for (const auto& h : hosts) {
        HostPolicy p;
        p.host = h.value("host", "");
        for (auto& c : p.host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        p.sitemap = h.value("sitemap", true);
        for (const auto& r : h.value("rules", nlohmann::json::array({nlohmann::json::object()}))) {
            RuleGroup g;
            g.user_agent = r.value("user_agent", "*");
            g.allow = r.value("allow", std::vector<std::string>{});
            g.disallow = r.value("disallow", std::vector<std::string>{});
            p.rules.push_back(std::move(g));
        }
        out.push_back(std::move(p));
    }
    return out;
}

}  // namespace portico::plugins::sitemap
