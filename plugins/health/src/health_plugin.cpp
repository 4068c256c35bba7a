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
      "description": "paths answering readiness (plugins started, not draining, every registered health check)"}
  }
})json";

namespace {

void send(sdk::Response& res, const nlohmann::json& doc) {
    res.send(doc.at("status") == "fail" ? 503 : 200, "application/health+json", doc.dump() + "\n");
    res.headers.set("Cache-Control", "no-store");
}

}  // namespace

void HealthPlugin::configure(sdk::Context& ctx) {
    status_ = &ctx.status();
    clock_ = &ctx.clock();
    for (const auto& path : ctx.config().at("live_paths")) {
        sdk::RouteSpec spec;
        spec.path = path.get<std::string>();
        spec.blocking = false;  // the process answers; no check runs
        ctx.hooks().addRoute(spec, [this](const sdk::Request&, sdk::Response& res) { live(res); });
    }
    for (const auto& path : ctx.config().at("ready_paths")) {
        sdk::RouteSpec spec;
        spec.path = path.get<std::string>();
        ctx.hooks().addRoute(spec, [this](const sdk::Request&, sdk::Response& res) { ready(res); });
    }
}

void HealthPlugin::live(sdk::Response& res) const {
    auto now = clock_->now();
    auto up = std::chrono::duration_cast<std::chrono::seconds>(now - status_->startTime());
    std::vector<Check> checks{{"uptime", {"pass", std::to_string(up.count()) + " s", ""}}};
    send(res, renderReport(checks, status_->version(), now));
}

void HealthPlugin::ready(sdk::Response& res) const {
    std::vector<Check> checks = hostChecks(*status_);
    for (auto& [name, result] : status_->runHealthChecks()) {
        checks.push_back({name, std::move(result)});
    }
    send(res, renderReport(checks, status_->version(), clock_->now()));
}

}  // namespace portico::plugins::health
