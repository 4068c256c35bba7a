#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

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

/// Where the Redis backend connects: redis://[[user]:password@]host[:port][/db].
struct RedisUrl {
    std::string host;
    int port = 6379;
    std::string user;      ///< empty: AUTH with the password alone
    std::string password;  ///< empty: no AUTH
    int db = 0;
    /// Nullopt when `text` is not such a URL.
    static std::optional<RedisUrl> parse(const std::string& text);
};

struct RedisConfig {
    RedisUrl url;
    std::string key_prefix = "portico:rl:";
    int timeout_ms = 200;
    std::size_t pool_size = 4;
};

struct Config {
    std::vector<Policy> policies;
    std::vector<Rule> rules;
    std::size_t max_keys = 100000;
    bool redis_backend = false;  ///< else memory
    RedisConfig redis;
    bool deny_on_backend_error = false;  ///< else allow
};

/// Reads a validated block (defaults filled in). Throws `sdk::ConfigError` with every problem.
Config readConfig(const nlohmann::json& block);

/// The index of the first rule matching the request, or -1.
int matchRule(const Config& config, const std::string& host, const std::string& path,
              const std::string& method);

}  // namespace portico::plugins::ratelimit
