#include "health_plugin.hpp"

#include "report.hpp"

namespace portico::plugins::health {

const char* const kSchema = R"json({
  "type": "object",
  "properties": {
    "live_paths": {"type": "array", "items": {"type": "string", "pattern": "^/"},
      "default": ["/livez"], "description": "paths answering liveness (the process is up)"},
    "ready_paths": {"type": "array", "items": {"type": "string", "pattern": "^/"},
      "default": ["/readyz", "/health"],
      "description": "paths answering readiness (plugins started, not draining, every registered health check); the public answer carries the status only"},
    "details_path": {"type": "string", "pattern": "^/", "default": "/health/details",
      "description": "path on the admin listener with the full readiness report: every check with its observed value and output, the version, uptime"},
    "cache_ms": {"type": "integer", "minimum": 0, "maximum": 60000, "default": 1000,
      "description": "how long the plugins' check results (a database query, a Redis PING) are reused for public probes, in milliseconds; 0 runs them for every request. Draining is never cached"}
  }
})json";

namespace {

void send(sdk::Response& res, const nlohmann::json& doc, bool details) {
    const bool fail = doc.at("status") == "fail";
    const nlohmann::json body = details ? doc : nlohmann::json{{"status", doc.at("status")}};
    res.send(fail ? 503 : 200, "application/health+json", body.dump() + "\n");
    res.headers.set("Cache-Control", "no-store");
}

}  // namespace

void HealthPlugin::configure(sdk::Context& ctx) {
    status_ = &ctx.status();
    clock_ = &ctx.clock();
    cache_for_ = std::chrono::milliseconds(ctx.config().at("cache_ms").get<int>());
    for (const auto& path : ctx.config().at("live_paths")) {
        sdk::RouteSpec spec;
        spec.path = path.get<std::string>();
        spec.blocking = false;  // the process answers; no check runs
        ctx.hooks().addRoute(spec,
                             [this](const sdk::Request&, sdk::Response& res) { live(res, false); });
    }
    for (const auto& path : ctx.config().at("ready_paths")) {
        sdk::RouteSpec spec;
        spec.path = path.get<std::string>();
        ctx.hooks().addRoute(
            spec, [this](const sdk::Request&, sdk::Response& res) { ready(res, false); });
    }
    sdk::RouteSpec details;
    details.path = ctx.config().at("details_path").get<std::string>();
    details.listener = "admin";
    ctx.hooks().addRoute(details,
                         [this](const sdk::Request&, sdk::Response& res) { ready(res, true); });
}

void HealthPlugin::live(sdk::Response& res, bool details) const {
    auto now = clock_->now();
    auto up = std::chrono::duration_cast<std::chrono::seconds>(now - status_->startTime());
    std::vector<Check> checks{{"uptime", {"pass", std::to_string(up.count()) + " s", ""}}};
    send(res, renderReport(checks, status_->version(), now), details);
}

void HealthPlugin::ready(sdk::Response& res, bool details) const {
    std::vector<Check> checks = hostChecks(*status_);
    if (details) {
        auto now = clock_->now();
        auto up = std::chrono::duration_cast<std::chrono::seconds>(now - status_->startTime());
        checks.push_back({"uptime", {"pass", std::to_string(up.count()) + " s", ""}});
    }
    for (auto& [name, result] : details ? status_->runHealthChecks() : cachedChecks()) {
        checks.push_back({name, std::move(result)});
    }
    send(res, renderReport(checks, status_->version(), clock_->now()), details);
}

HealthPlugin::Results HealthPlugin::cachedChecks() const {
    if (cache_for_.count() == 0) return status_->runHealthChecks();
    std::lock_guard<std::mutex> lock(mutex_);
    const auto now = clock_->monotonic();
    if (!has_cache_ || now - cached_at_ >= cache_for_) {
        cached_ = status_->runHealthChecks();
        cached_at_ = now;
        has_cache_ = true;
    }
    return cached_;
}

}  // namespace portico::plugins::health
