#include "ratelimit_plugin.hpp"

namespace portico::plugins::ratelimit {
namespace {

constexpr std::int64_t kSecond = 1'000'000'000;

std::int64_t ceilSeconds(std::int64_t ns) { return (ns + kSecond - 1) / kSecond; }

bool accepts(const sdk::Request& req, const char* type) {
    return req.headers.getOr("Accept", "").find(type) != std::string::npos;
}

void tooMany(const sdk::Request& req, sdk::Response& res, std::int64_t retry_s) {
    const bool german = req.path.rfind("/de/", 0) == 0 ||
                        req.headers.getOr("Accept-Language", "").rfind("de", 0) == 0;
    const std::string message =
        german ? "Zu viele Anfragen. Bitte in " + std::to_string(retry_s) + " s erneut versuchen."
               : "Too many requests. Please try again in " + std::to_string(retry_s) + " s.";
    if (accepts(req, "application/json")) {
        nlohmann::json doc{
            {"error", "too_many_requests"}, {"message", message}, {"retry_after", retry_s}};
        res.send(429, "application/json", doc.dump() + "\n");
    } else if (accepts(req, "text/html")) {
        res.send(429, "text/html; charset=utf-8",
                 std::string("<!doctype html><html lang=\"") + (german ? "de" : "en") +
                     "\"><head><meta charset=\"utf-8\"><title>429</title></head><body><p>" +
                     message + "</p></body></html>\n");
    } else {
        res.send(429, "text/plain; charset=utf-8", message + "\n");
    }
    res.headers.set("Cache-Control", "no-store");
}

}  // namespace

void RateLimitPlugin::configure(sdk::Context& ctx) {
    config_ = readConfig(ctx.config());
    clock_ = &ctx.clock();
    auto& registry = ctx.metrics();
    for (const auto& p : config_.policies) {
        const char* help = "Rate-limit decisions, by policy and decision.";
        allowed_.push_back(&registry.counter("portico_ratelimit_decisions_total", help,
                                             {{"policy", p.name}, {"decision", "allowed"}}));
        limited_.push_back(&registry.counter("portico_ratelimit_decisions_total", help,
                                             {{"policy", p.name}, {"decision", "limited"}}));
        policy_fields_.push_back("\"" + p.name + "\";q=" + std::to_string(p.rate.limit) +
                                 ";w=" + std::to_string(p.period_s));
    }
    ctx.hooks().addEarlyHook(sdk::band::kRateLimit, [this](sdk::Request& req, sdk::Response& res) {
        return check(req, res);
    });
}

void RateLimitPlugin::start(sdk::Context& ctx) {
    store_ = std::make_unique<MemoryStore>(config_.max_keys);
    auto* store = store_.get();
    const sdk::Clock* clock = clock_;
    auto logger = ctx.logger();
    ctx.scheduler().every("expire", std::chrono::seconds(30), [store, clock, logger] {
        auto now = clock->monotonic().time_since_epoch();
        auto dropped =
            store->sweep(std::chrono::duration_cast<std::chrono::nanoseconds>(now).count());
        if (dropped) logger->debug("expired {} recovered clients", dropped);
    });
}

sdk::EarlyResult RateLimitPlugin::check(sdk::Request& req, sdk::Response& res) {
    int rule = matchRule(config_, req.host, req.path, req.method);
    if (rule < 0 || config_.rules[rule].policy < 0) return sdk::EarlyResult::kContinue;
    const auto index = static_cast<std::size_t>(config_.rules[rule].policy);
    const Policy& policy = config_.policies[index];

    std::vector<std::string> xff, forwarded;
    if (!config_.trusted_proxies.empty()) {
        for (const auto& [name, value] : req.headers.fields()) {
            if (sdk::iequals(name, "X-Forwarded-For")) xff.push_back(value);
            if (sdk::iequals(name, "Forwarded")) forwarded.push_back(value);
        }
    }
    std::string key =
        policy.name + "\n" + clientKey(req.client_address, xff, forwarded, config_.trusted_proxies);
    auto now =
        std::chrono::duration_cast<std::chrono::nanoseconds>(clock_->monotonic().time_since_epoch())
            .count();
    Decision d = store_->check(key, policy.rate, now);
    res.headers.set("RateLimit-Policy", policy_fields_[index]);
    if (d.allowed) {
        allowed_[index]->inc();
        res.headers.set("RateLimit", "\"" + policy.name + "\";r=" + std::to_string(d.remaining) +
                                         ";t=" + std::to_string(ceilSeconds(d.reset_ns)));
        return sdk::EarlyResult::kContinue;
    }
    limited_[index]->inc();
    const std::int64_t retry = std::max<std::int64_t>(1, ceilSeconds(d.retry_after_ns));
    res.headers.set("RateLimit", "\"" + policy.name + "\";r=0;t=" + std::to_string(retry));
    res.headers.set("Retry-After", std::to_string(retry));
    tooMany(req, res, retry);
    return sdk::EarlyResult::kRespond;
}

}  // namespace portico::plugins::ratelimit
