#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "client_key.hpp"
#include "gcra.hpp"

namespace portico::plugins::ratelimit {

/// JSON schema of the `ratelimit` config block.
extern const char* const kSchema;

struct Policy {
    std::string name;
    Rate rate;
    std::int64_t period_s = 60;
};

/// The first rule that matches a request decides: a policy, or exempt (no limit).
struct Rule {
    std::string host;                  ///< empty: any
    std::string path_prefix;           ///< empty: any
    std::vector<std::string> methods;  ///< empty: any
    int policy = -1;                   ///< index into Config::policies; -1: exempt
};

struct Config {
    std::vector<Policy> policies;
    std::vector<Rule> rules;
    std::vector<Cidr> trusted_proxies;
    std::size_t max_keys = 100000;
};

/// Reads a validated block (defaults filled in). Throws `sdk::ConfigError` with every problem.
Config readConfig(const nlohmann::json& block);

/// The index of the first rule matching the request, or -1.
int matchRule(const Config& config, const std::string& host, const std::string& path,
              const std::string& method);

}  // namespace portico::plugins::ratelimit
