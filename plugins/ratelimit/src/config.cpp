#include "config.hpp"

#include <algorithm>

#include "portico/sdk/errors.hpp"

namespace portico::plugins::ratelimit {

const char* const kSchema = R"json({
  "type": "object",
  "properties": {
    "backend": {"type": "string", "enum": ["memory", "redis"], "default": "memory",
      "description": "where limit state lives: memory (per process) or redis (shared by every replica that uses the same Redis and key_prefix)"},
    "redis": {"type": "object",
      "description": "the Redis server of backend redis",
      "properties": {
        "url": {"type": "string", "default": "",
          "description": "redis://[[user]:password@]host[:port][/db], e.g. redis://127.0.0.1:6379/0; required with backend redis"},
        "key_prefix": {"type": "string", "default": "portico:rl:", "maxLength": 200,
          "description": "prefix of every key; keys are <prefix><policy>:<client> and expire by themselves"},
        "timeout_ms": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 200,
          "description": "connect, send and receive timeout of one Redis call in milliseconds"},
        "pool_size": {"type": "integer", "minimum": 1, "maximum": 64, "default": 4,
          "description": "Redis connections kept open per process"}
      }},
    "on_backend_error": {"type": "string", "enum": ["allow", "deny"], "default": "allow",
      "description": "when Redis cannot be asked (down, timeout): allow the request, or deny it with 503 and Retry-After; either way a warning is logged and portico_ratelimit_backend_errors_total counts it"},
    "max_keys": {"type": "integer", "minimum": 16, "maximum": 100000000, "default": 100000,
      "description": "most client keys kept in memory (about 100 bytes each); beyond it recovered entries, then arbitrary ones, are dropped"},
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
        // value(), not at(): the schema's default rules get no defaults filled in.
        rule.host = r.value("host", "");
        rule.path_prefix = r.value("path_prefix", "");
        rule.methods = r.value("methods", std::vector<std::string>{});
        const std::string policy = r.value("policy", "");
        const bool exempt = r.value("exempt", false);
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
    config.redis_backend = block.at("backend").get<std::string>() == "redis";
    config.deny_on_backend_error = block.at("on_backend_error").get<std::string>() == "deny";
    const auto& redis = block.at("redis");
    const auto url = redis.at("url").get<std::string>();
    if (auto parsed = RedisUrl::parse(url)) {
        config.redis.url = *parsed;
    } else if (!url.empty() || config.redis_backend) {
        errors.add("redis.url", url.empty() ? "required when backend is \"redis\""
                                            : "not a redis://[[user]:password@]host[:port][/db] "
                                              "URL, got \"" +
                                                  url + "\"");
    }
    config.redis.key_prefix = redis.at("key_prefix").get<std::string>();
    config.redis.timeout_ms = redis.at("timeout_ms").get<int>();
    config.redis.pool_size = redis.at("pool_size").get<std::size_t>();
    errors.throwIfAny();
    return config;
}

std::optional<RedisUrl> RedisUrl::parse(const std::string& text) {
    static const std::string kScheme = "redis://";
    if (text.compare(0, kScheme.size(), kScheme) != 0) return std::nullopt;
    std::string rest = text.substr(kScheme.size());
    RedisUrl url;
    if (auto at = rest.rfind('@'); at != std::string::npos) {
        const std::string userinfo = rest.substr(0, at);
        rest = rest.substr(at + 1);
        const auto colon = userinfo.find(':');
        if (colon == std::string::npos) {
            url.password = userinfo;  // redis://secret@host, as redis-cli reads it
        } else {
            url.user = userinfo.substr(0, colon);
            url.password = userinfo.substr(colon + 1);
        }
        if (url.password.empty()) return std::nullopt;
    }
    std::string db;
    if (auto slash = rest.find('/'); slash != std::string::npos) {
        db = rest.substr(slash + 1);
        rest = rest.substr(0, slash);
    }
    std::string port;
    if (!rest.empty() && rest.front() == '[') {  // [::1]:6379
        const auto close = rest.find(']');
        if (close == std::string::npos) return std::nullopt;
        url.host = rest.substr(1, close - 1);
        rest = rest.substr(close + 1);
        if (!rest.empty() && rest.front() != ':') return std::nullopt;
        if (!rest.empty()) port = rest.substr(1);
    } else if (auto colon = rest.find(':'); colon != std::string::npos) {
        url.host = rest.substr(0, colon);
        port = rest.substr(colon + 1);
    } else {
        url.host = rest;
    }
    auto number = [](const std::string& digits, int max, int& out) {
        if (digits.empty() || digits.size() > 5 ||
            digits.find_first_not_of("0123456789") != std::string::npos) {
            return false;
        }
        out = std::stoi(digits);
        return out <= max;
    };
    if (url.host.empty() || url.host.find_first_of("/?#@ ") != std::string::npos) {
        return std::nullopt;
    }
    if (!port.empty() || rest.find(':') != std::string::npos) {
        if (!number(port, 65535, url.port) || url.port == 0) return std::nullopt;
    }
    if (!db.empty() && !number(db, 10000, url.db)) return std::nullopt;
    return url;
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
