#include "metrics_plugin.hpp"

#include <mutex>
#include <sstream>

#include "labels.hpp"
#include "portico/sdk/abi.hpp"
#include "portico/sdk/resource.hpp"
#include "process_stats.hpp"

namespace portico::plugins::metrics {

const char* const kSchema = R"json({
  "type": "object",
  "properties": {
    "path": {"type": "string", "pattern": "^/", "default": "/metrics",
      "description": "admin-listener path of the Prometheus exposition"},
    "plugins_path": {"type": "string", "pattern": "^/", "default": "/plugins",
      "description": "admin-listener path of the JSON list of plugins"},
    "buckets": {"type": "array", "items": {"type": "number", "minimum": 0}, "minItems": 1,
      "default": [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      "description": "upper bounds in seconds of the request duration histogram, ascending"}
  }
})json";

void MetricsPlugin::configure(sdk::Context& ctx) {
    const auto& c = ctx.config();
    bounds_ = c.at("buckets").get<std::vector<double>>();
    sdk::ConfigErrors errors;  // thrown from the SDK library, which outlives this module
    for (std::size_t i = 1; i < bounds_.size(); ++i) {
        if (!(bounds_[i - 1] < bounds_[i])) {
            std::ostringstream got;
            got << bounds_[i];
            errors.add("buckets[" + std::to_string(i) + "]",
                       "must be greater than the one before, got " + got.str());
        }
    }
    errors.throwIfAny();
    registry_ = &ctx.metrics();
    status_ = &ctx.status();
    hosts_ = ctx.site().hosts;
    in_flight_ = &registry_->gauge("portico_http_requests_in_flight",
                                   "Requests being handled on the public listener.");
    bytes_ = &registry_->counter("portico_http_response_bytes_total",
                                 "Response body bytes written (after compression).");
    registry_
        ->gauge("portico_build_info", "Build of the running host; the value is always 1.",
                {{"version", status_->version()},
                 {"plugin_abi",
                  std::to_string(PORTICO_ABI_MAJOR) + "." + std::to_string(PORTICO_ABI_MINOR)}})
        .set(1);

    auto& hooks = ctx.hooks();
    // The lowest band, so every request that reaches the pipeline is counted in flight.
    hooks.addEarlyHook(sdk::EarlyHookSpec{0, false}, [this](sdk::Request&, sdk::Response&) {
        in_flight_->add(1);
        return sdk::EarlyResult::kContinue;
    });
    hooks.addCompletionHook([this](const sdk::Request& req, const sdk::Response& res,
                                   const sdk::Completion& done) { complete(req, res, done); });
    sdk::RouteSpec metrics;
    metrics.path = c.at("path").get<std::string>();
    metrics.listener = "admin";
    hooks.addRoute(metrics,
                   [this](const sdk::Request&, sdk::Response& res) { renderMetrics(res); });
    sdk::RouteSpec plugins;
    plugins.path = c.at("plugins_path").get<std::string>();
    plugins.listener = "admin";
    hooks.addRoute(plugins,
                   [this](const sdk::Request&, sdk::Response& res) { renderPlugins(res); });
}

const MetricsPlugin::Series& MetricsPlugin::series(const std::string& route, const char* method,
                                                   int status, const std::string& host) {
    std::string key = route;
    key.append(1, '\n').append(method).append(1, '\n').append(std::to_string(status));
    key.append(1, '\n').append(host);
    {
        std::shared_lock lock(mutex_);
        if (auto it = series_.find(key); it != series_.end()) return it->second;
    }
    sdk::metrics::Labels labels{
        {"route", route}, {"method", method}, {"status", std::to_string(status)}, {"host", host}};
    Series s{&registry_->counter("portico_http_requests_total",
                                 "Requests answered, by route template, method, status and host.",
                                 labels),
             &registry_->histogram("portico_http_request_duration_seconds",
                                   "Time from request to response written, by route template, "
                                   "method, status and host.",
                                   bounds_, labels)};
    std::unique_lock lock(mutex_);
    return series_.emplace(std::move(key), s).first->second;
}

void MetricsPlugin::complete(const sdk::Request& req, const sdk::Response& res,
                             const sdk::Completion& done) {
    in_flight_->add(-1);
    bytes_->inc(done.bytes_sent);
    try {
        const Series& s = series(routeLabel(done.route), foldMethod(req.method), res.status,
                                 foldHost(req.host, hosts_));
        s.requests->inc();
        s.duration->observe(std::chrono::duration<double>(done.duration).count());
    } catch (...) {
        // Completion hooks must not throw; a lost observation is the lesser harm.
    }
}

void MetricsPlugin::renderMetrics(sdk::Response& res) const {
    std::string text = registry_->renderPrometheus();
    if (auto stats = readProcessStats()) text += renderProcessStats(*stats);
    res.send(200, "text/plain; version=0.0.4; charset=utf-8", std::move(text));
    res.headers.set("Cache-Control", "no-store");
}

void MetricsPlugin::renderPlugins(sdk::Response& res) const {
    nlohmann::json list = nlohmann::json::array();
    int order = 0;
    for (const auto& p : status_->plugins()) {
        nlohmann::json entry{
            {"id", p.id}, {"version", p.version}, {"order", ++order}, {"state", p.state}};
        if (!p.detail.empty()) entry["detail"] = p.detail;
        list.push_back(std::move(entry));
    }
    nlohmann::json libraries = nlohmann::json::array();
    for (const auto& l : status_->libraries()) {
        libraries.push_back({{"id", l.id},
                             {"version", l.version},
                             {"path", l.path},
                             {"generation", l.generation},
                             {"loaded_at", sdk::rfc3339(l.loaded_at)},
                             {"state", l.state}});
    }
    nlohmann::json doc{{"version", status_->version()},       {"started", status_->started()},
                       {"draining", status_->draining()},     {"degraded", status_->degraded()},
                       {"generation", status_->generation()}, {"plugins", std::move(list)},
                       {"libraries", std::move(libraries)}};
    res.send(200, "application/json", doc.dump(2) + "\n");
    res.headers.set("Cache-Control", "no-store");
}

}  // namespace portico::plugins::metrics
