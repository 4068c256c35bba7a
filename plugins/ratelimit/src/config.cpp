#include "config.hpp"

#include <algorithm>

#include "portico/sdk/errors.hpp"

namespace portico::plugins::ratelimit {

const char* const kSchema = R"json({
  "type": "object",
  "properties": {
    "backend": {"type": "string", "enum": ["memory"], "default": "memory",
      "description": "where limit state lives: memory (one process)"},
    "max_keys": {"type": "integer", "minimum": 16, "maximum": 100000000, "default": 100000,
      "description": "most client keys kept in memory (about 100 bytes each); beyond it recovered entries, then arbitrary ones, are dropped"},
    "trusted_proxies": {"type": "array", "items": {"type": "string"}, "default": [],
      "description": "CIDRs of reverse proxies whose X-Forwarded-For / Forwarded is believed, e.g. [\"10.0.0.0/8\"]; the client is the rightmost address that is not one of them"},
    "policies": {"type": "object", "default": {"pages": {"limit": 600, "period_s": 60, "burst": 120}},
      "description": "named rates",
      "additionalProperties": {"type": "object", "required": ["limit"],
        "properties": {
          "limit": {"type": "integer", "minimum": 1, "maximum": 1000000, "description": "requests per period"},
          "period_s": {"type": "integer", "minimum": 1, "maximum": 86400, "default": 60, "description": "the period in seconds"},
          "burst": {"type": "integer", "minimum": 1, "maximum": 1000000, "default": 1,
            "description": "requests allowed at once; no more than limit + burst pass in any period"}
        }}},
    "rules": {"type": "array", "default": [{"policy": "pages"}],
      "description": "the first rule matching host, path prefix and method decides: its policy, or exempt",
      "items": {"type": "object",
        "properties": {
          "host": {"type": "string", "default": "", "description": "Host to match; empty: any"},
          "path_prefix": {"type": "string", "default": "", "description": "path prefix to match, e.g. /assets/; empty: any"},
          "methods": {"type": "array", "items": {"type": "string"}, "default": [], "description": "methods to match; empty: any"},
          "policy": {"type": "string", "default": "", "description": "policy to apply (a key of policies)"},
          "exempt": {"type": "boolean", "default": false, "description": "true: never limit matching requests"}
        }}}
  }
})json";

Config readConfig(const nlohmann::json& block) {
    sdk::ConfigErrors errors;
    Config config;
    config.max_keys = block.at("max_keys").get<std::size_t>();
    for (const auto& [name, p] : block.at("policies").items()) {
        Policy policy;
        policy.name = name;
        policy.period_s = p.at("period_s").get<std::int64_t>();
        policy.rate.limit = p.at("limit").get<std::int64_t>();
        policy.rate.burst = p.at("burst").get<std::int64_t>();
        policy.rate.period_ns = policy.period_s * 1'000'000'000;
        config.policies.push_back(policy);
    }
    const auto& rules = block.at("rules");
    for (std::size_t i = 0; i < rules.size(); ++i) {
        const auto& r = rules[i];
        const std::string path = "rules[" + std::to_string(i) + "]";
        Rule rule;
        rule.host = r.at("host").get<std::string>();
        rule.path_prefix = r.at("path_prefix").get<std::string>();
        rule.methods = r.at("methods").get<std::vector<std::string>>();
        const std::string policy = r.at("policy").get<std::string>();
        const bool exempt = r.at("exempt").get<bool>();
        if (exempt == !policy.empty()) {
            errors.add(path, "needs either a policy or \"exempt\": true");
        } else if (!exempt) {
            for (std::size_t p = 0; p < config.policies.size(); ++p) {
                if (config.policies[p].name == policy) rule.policy = static_cast<int>(p);
            }
            if (rule.policy < 0) {
                errors.add(path + ".policy", "unknown policy \"" + policy + "\"");
            }
        }
        config.rules.push_back(rule);
    }
    const auto& proxies = block.at("trusted_proxies");
    for (std::size_t i = 0; i < proxies.size(); ++i) {
        auto text = proxies[i].get<std::string>();
        if (auto cidr = Cidr::parse(text)) {
            config.trusted_proxies.push_back(*cidr);
        } else {
            errors.add("trusted_proxies[" + std::to_string(i) + "]",
                       "not an IP address or CIDR, got \"" + text + "\"");
        }
    }
    errors.throwIfAny();
    return config;
}

int matchRule(const Config& config, const std::string& host, const std::string& path,
              const std::string& method) {
    for (std::size_t i = 0; i < config.rules.size(); ++i) {
        const Rule& r = config.rules[i];
        if (!r.host.empty() && r.host != host) continue;
        if (path.compare(0, r.path_prefix.size(), r.path_prefix) != 0) continue;
        if (!r.methods.empty() &&
            std::find(r.methods.begin(), r.methods.end(), method) == r.methods.end()) {
            continue;
        }
        return static_cast<int>(i);
    }
    return -1;
}

}  // namespace portico::plugins::ratelimit
