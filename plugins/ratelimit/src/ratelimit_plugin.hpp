#pragma once

#include <memory>
#include <vector>

#include "config.hpp"
#include "memory_store.hpp"
#include "portico/sdk/messages.hpp"
#include "portico/sdk/plugin.hpp"
#include "redis_store.hpp"

namespace portico::plugins::ratelimit {

/// Limits requests per client with GCRA, by the first matching rule's policy. Over the limit:
/// 429 with Retry-After and the IETF RateLimit-Policy / RateLimit fields, and a short body in
/// the visitor's language (`sdk::pickLanguage` among the site's locales) (HTML, JSON or text as it
/// asks). State in memory or in Redis; when Redis cannot be asked, `on_backend_error` allows the
/// request or answers 503.
class RateLimitPlugin final : public sdk::Plugin {
public:
    void configure(sdk::Context& ctx) override;
    void start(sdk::Context& ctx) override;

private:
    sdk::EarlyResult check(sdk::Request& req, sdk::Response& res);
    void refuse(const sdk::Request& req, sdk::Response& res, int status,
                std::int64_t retry_s) const;

    Config config_;
    const sdk::Clock* clock_ = nullptr;
    sdk::Messages messages_;                 // the 429 / 503 texts, by language
    std::vector<std::string> site_locales_;  // what a visitor's language is picked from
    std::string default_locale_;
    std::unique_ptr<Store> store_;
    MemoryStore* memory_ = nullptr;  // store_, for backend memory
    RedisStore* redis_ = nullptr;    // store_, for backend redis
    sdk::metrics::Gauge* keys_ = nullptr;
    sdk::metrics::Counter* backend_errors_ = nullptr;
    std::vector<sdk::metrics::Counter*> allowed_;  // by policy
    std::vector<sdk::metrics::Counter*> limited_;  // by policy
    std::vector<std::string> policy_fields_;       // RateLimit-Policy, by policy
};

}  // namespace portico::plugins::ratelimit
