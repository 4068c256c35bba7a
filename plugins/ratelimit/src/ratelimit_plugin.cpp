#include "ratelimit_plugin.hpp"

#include "client_key.hpp"

namespace portico::plugins::ratelimit {
namespace {

constexpr std::int64_t kSecond = 1'000'000'000;

std::int64_t ceilSeconds(std::int64_t ns) { return (ns + kSecond - 1) / kSecond; }

bool accepts(const sdk::Request& req, const char* type) {
    return req.headers.getOr("Accept", "").find(type) != std::string::npos;
}

// The plugin's own texts. A site language without them gets the site default's, then English.
const char* const kMessages = R"json({
  "en": {"too_many": "Too many requests. Please try again in {seconds} s.",
         "unavailable": "Temporarily unavailable. Please try again in {seconds} s."},
  "de": {"too_many": "Zu viele Anfragen. Bitte in {seconds} s erneut versuchen.",
         "unavailable": "Vorübergehend nicht verfügbar. Bitte in {seconds} s erneut versuchen."}
})json";

}  // namespace

// A short answer in the visitor's language and format: 429 over the limit, 503 when the
// backend could not be asked and on_backend_error is deny.
void RateLimitPlugin::refuse(const sdk::Request& req, sdk::Response& res, int status,
                             std::int64_t retry_s) const {
    const std::string lang = messages_.resolve(sdk::pickLanguage(
        req.path, req.headers.getOr("Accept-Language", ""), site_locales_, default_locale_));
    const std::string retry = std::to_string(retry_s);
    const std::string message =
        messages_.format(lang, status == 429 ? "too_many" : "unavailable", {{"seconds", retry}});
    if (accepts(req, "application/json")) {
        nlohmann::json doc{{"error", status == 429 ? "too_many_requests" : "unavailable"},
                           {"message", message},
                           {"retry_after", retry_s}};
        res.send(status, "application/json", doc.dump() + "\n");
    } else if (accepts(req, "text/html")) {
        res.send(status, "text/html; charset=utf-8",
                 "<!doctype html><html lang=\"" + sdk::escapeHtml(lang) +
                     "\"><head><meta charset=\"utf-8\"><title>" + std::to_string(status) +
                     "</title></head><body><p>" + sdk::escapeHtml(message) +
                     "</p></body></html>\n");
    } else {
        res.send(status, "text/plain; charset=utf-8", message + "\n");
    }
    res.headers.set("Cache-Control", "no-store");
    res.headers.set("Retry-After", retry);
}

void RateLimitPlugin::configure(sdk::Context& ctx) {
    config_ = readConfig(ctx.config());
    clock_ = &ctx.clock();
    site_locales_ = ctx.site().locales;
    default_locale_ = ctx.site().default_locale;
    messages_ = sdk::Messages(default_locale_);
    const auto builtin = nlohmann::json::parse(kMessages);
    for (const auto& [locale, texts] : builtin.items()) messages_.add(locale, texts);
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
    backend_errors_ = &registry.counter(
        "portico_ratelimit_backend_errors_total",
        "Requests decided by on_backend_error because the rate-limit backend could not be asked.");
    if (!config_.redis_backend) {
        keys_ = &registry.gauge("portico_ratelimit_keys",
                                "Client keys held in the in-memory rate-limit table.");
    }
    // The memory table answers from memory; Redis is a network round trip, so with it every
    // request runs on the worker pool.
    ctx.hooks().addEarlyHook(
        sdk::EarlyHookSpec{sdk::band::kRateLimit, config_.redis_backend},
        [this](sdk::Request& req, sdk::Response& res) { return check(req, res); });
    if (config_.redis_backend) {
        const bool deny = config_.deny_on_backend_error;
        ctx.hooks().addHealthCheck("ratelimit:redis", [this, deny]() -> sdk::CheckResult {
            if (!redis_) return {"fail", "", "not started"};
            std::string error = redis_->ping();
            if (error.empty()) return {};
            return {
                deny ? "fail" : "warn", "",
                "redis unreachable: " + error + "; on_backend_error: " + (deny ? "deny" : "allow")};
        });
    }
}

void RateLimitPlugin::start(sdk::Context& ctx) {
    auto logger = ctx.logger();
    if (config_.redis_backend) {
        auto redis = std::make_unique<RedisStore>(
            config_.redis, logger,
            config_.deny_on_backend_error
                ? "denying limited requests with 503 (on_backend_error: deny)"
                : "allowing requests (on_backend_error: allow)");
        redis_ = redis.get();
        store_ = std::move(redis);
        logger->info("rate limits in redis {}:{}/{} under \"{}\"", config_.redis.url.host,
                     config_.redis.url.port, config_.redis.url.db, config_.redis.key_prefix);
        return;
    }
    auto memory = std::make_unique<MemoryStore>(config_.max_keys);
    memory_ = memory.get();
    store_ = std::move(memory);
    auto* store = memory_;
    auto* keys = keys_;
    const sdk::Clock* clock = clock_;
    ctx.scheduler().every("expire", std::chrono::seconds(30), [store, keys, clock, logger] {
        auto now = clock->monotonic().time_since_epoch();
        auto dropped =
            store->sweep(std::chrono::duration_cast<std::chrono::nanoseconds>(now).count());
        keys->set(static_cast<double>(store->size()));
        if (dropped) logger->debug("expired {} recovered clients", dropped);
    });
}

sdk::EarlyResult RateLimitPlugin::check(sdk::Request& req, sdk::Response& res) {
    int rule = matchRule(config_, req.host, req.path, req.method);
    if (rule < 0 || config_.rules[rule].policy < 0) return sdk::EarlyResult::kContinue;
    const auto index = static_cast<std::size_t>(config_.rules[rule].policy);
    const Policy& policy = config_.policies[index];

    std::string key = policy.name + ":" + clientKey(req.client_address);
    auto now =
        std::chrono::duration_cast<std::chrono::nanoseconds>(clock_->monotonic().time_since_epoch())
            .count();
    std::optional<Decision> decided = store_->check(key, policy.rate, now);
    if (memory_) keys_->set(static_cast<double>(memory_->size()));
    if (!decided) {
        backend_errors_->inc();
        if (!config_.deny_on_backend_error) return sdk::EarlyResult::kContinue;
        refuse(req, res, 503, 1);  // Redis is skipped for 1 s after a failure
        return sdk::EarlyResult::kRespond;
    }
    const Decision& d = *decided;
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
    refuse(req, res, 429, retry);
    return sdk::EarlyResult::kRespond;
}

}  // namespace portico::plugins::ratelimit
