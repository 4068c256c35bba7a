// A configurable plugin for the host's integration tests. One source, built under several ids
// (FIXTURE_ID) with different dependencies (FIXTURE_DEPS).
#include <atomic>
#include <chrono>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "portico/sdk.hpp"

namespace portico::tests::fixture {

const char* const kSchema = R"({
  "type": "object",
  "properties": {
    "greeting": {"type": "string", "default": "hello", "description": "text of GET <prefix>"},
    "prefix": {"type": "string", "default": "/fixture", "description": "where routes live"},
    "host": {"type": "string", "default": "", "description": "virtual host of the routes"},
    "fail_configure": {"type": "boolean", "default": false, "description": "configure throws"},
    "fail_start": {"type": "boolean", "default": false, "description": "start throws"},
    "fail_validate": {"type": "boolean", "default": false, "description": "validate throws"},
    "call_log": {"type": "string", "default": "", "description": "file to append configure and validate calls to"},
    "stop_log": {"type": "string", "default": "", "description": "file to append the id to on stop"},
    "early_header": {"type": "string", "default": "", "description": "answer 299 early when this request header is present"},
    "transform": {"type": "boolean", "default": false, "description": "register an HTML transform"},
    "max_body_bytes": {"type": "integer", "default": 0, "minimum": 0, "description": "route body limit"},
    "admin_route": {"type": "boolean", "default": false, "description": "mount GET /status on the admin listener"},
    "health": {"type": "string", "enum": ["", "pass", "warn", "fail"], "default": "", "description": "register a health check with this result"},
    "tick_ms": {"type": "integer", "default": 0, "minimum": 0, "description": "scheduler interval; 0 = none"}
  }
})";

const char* const kDocument =
    "<!doctype html><html><head><title>doc</title></head><body><p>doc</p></body></html>";

sdk::RouteSpec route(const std::string& method, const std::string& path, bool prefix,
                     const std::string& host, std::size_t max_body = 0) {
    sdk::RouteSpec spec;
    spec.method = method;
    spec.path = path;
    spec.prefix = prefix;
    spec.host = host;
    spec.max_body_bytes = max_body;
    return spec;
}

class FixturePlugin final : public sdk::Plugin {
public:
    void configure(sdk::Context& ctx) override {
        const auto& c = ctx.config();
        greeting_ = c.at("greeting").get<std::string>();
        prefix_ = c.at("prefix").get<std::string>();
        stop_log_ = c.at("stop_log").get<std::string>();
        fail_start_ = c.at("fail_start").get<bool>();
        fail_validate_ = c.at("fail_validate").get<bool>();
        call_log_ = c.at("call_log").get<std::string>();
        logCall("configure", ctx.pluginId());
        if (c.at("fail_configure").get<bool>()) {
            sdk::ConfigErrors errors;
            errors.add("fail_configure", "asked to fail");
            errors.add("greeting", "also wrong, to show all errors are collected");
            errors.throwIfAny();
        }
        id_ = ctx.pluginId();
        std::string host = c.at("host").get<std::string>();
        auto& hooks = ctx.hooks();
        hooks.addRoute(route("GET", prefix_, false, host),
                       [this](const sdk::Request&, sdk::Response& res) {
                           res.send(200, "text/plain; charset=utf-8", greeting_ + " from " + id_);
                       });
        hooks.addRoute(route("POST", prefix_ + "/echo", false, host,
                             c.at("max_body_bytes").get<std::size_t>()),
                       [](const sdk::Request& req, sdk::Response& res) {
                           res.send(200, "application/octet-stream", req.body);
                       });
        hooks.addRoute(route("GET", prefix_ + "/boom", false, host),
                       [](const sdk::Request&, sdk::Response&) {
                           throw std::runtime_error("fixture exploded on purpose");
                       });
        hooks.addRoute(route("GET", prefix_ + "/teapot", false, host),
                       [](const sdk::Request&, sdk::Response&) {
                           throw sdk::HttpError(418, "short and stout");
                       });
        hooks.addRoute(route("GET", prefix_ + "/slow", false, host), [](const sdk::Request& req,
                                                                        sdk::Response& res) {
            auto ms = std::stoi(req.queryParam("ms").value_or("500"));
            std::this_thread::sleep_for(std::chrono::milliseconds(ms));
            res.send(200, "text/plain; charset=utf-8", "slept " + std::to_string(ms));
        });
        auto page = route("GET", prefix_ + "/page", false, host);
        page.blocking = false;  // a prebuilt resource: answered on the I/O thread
        hooks.addRoute(page, [this](const sdk::Request&, sdk::Response& res) { res.serve(page_); });
        hooks.addRoute(route("GET", prefix_ + "/tree/", true, host),
                       [](const sdk::Request& req, sdk::Response& res) {
                           res.send(200, "text/plain; charset=utf-8", "tree " + req.path);
                       });
        hooks.addRoute(route("GET", prefix_ + "/html", false, host), [](const sdk::Request&,
                                                                        sdk::Response& res) {
            res.send(200, "text/html; charset=utf-8", "<html><body>dynamic</body></html>");
        });
        // Whole documents (with a head) for HTML transforms: prebuilt and dynamic.
        hooks.addRoute(route("GET", prefix_ + "/doc", false, host),
                       [this](const sdk::Request&, sdk::Response& res) { res.serve(doc_); });
        hooks.addRoute(route("GET", prefix_ + "/dyndoc", false, host),
                       [](const sdk::Request&, sdk::Response& res) {
                           res.send(200, "text/html; charset=utf-8", kDocument);
                       });
        // A page-sized dynamic document with a plugin's own strong ETag, for the host's
        // per-response compression.
        hooks.addRoute(route("GET", prefix_ + "/dynpage", false, host),
                       [this](const sdk::Request&, sdk::Response& res) {
                           res.send(200, "text/html; charset=utf-8", pageBody());
                           res.headers.set("ETag", "\"dynpage-1\"");
                           res.headers.set("Vary", "Cookie");
                       });
        hooks.addRoute(route("GET", prefix_ + "/request", false, host),
                       [](const sdk::Request& req, sdk::Response& res) {
                           nlohmann::json j;
                           j["method"] = req.method;
                           j["path"] = req.path;
                           j["query"] = req.query;
                           j["host"] = req.host;
                           j["client"] = req.client_address;
                           j["request_id"] = req.request_id;
                           j["headers"] = nlohmann::json::array();
                           for (const auto& [name, value] : req.headers.fields()) {
                               j["headers"].push_back({name, value});
                           }
                           res.send(200, "application/json", j.dump());
                       });
        hooks.addRoute(route("GET", prefix_ + "/ticks", false, host), [this](const sdk::Request&,
                                                                             sdk::Response& res) {
            res.send(200, "text/plain; charset=utf-8", std::to_string(ticks_.load()));
        });
        if (auto tick = c.at("tick_ms").get<int>(); tick > 0) {
            ctx.scheduler().every("tick", std::chrono::milliseconds(tick), [this] {
                if (++ticks_ == 2) throw std::runtime_error("second tick fails on purpose");
            });
        }
        if (c.at("admin_route").get<bool>()) {
            auto spec = route("GET", "/status", false, "");
            spec.listener = "admin";
            const sdk::HostStatus* status = &ctx.status();
            hooks.addRoute(spec, [status](const sdk::Request&, sdk::Response& res) {
                nlohmann::json j;
                j["draining"] = status->draining();
                j["started"] = status->started();
                j["version"] = status->version();
                for (const auto& p : status->plugins()) j["plugins"][p.id] = p.state;
                for (const auto& [name, result] : status->runHealthChecks()) {
                    j["checks"][name] = result.status;
                }
                res.send(200, "application/json", j.dump());
            });
        }
        if (auto health = c.at("health").get<std::string>(); !health.empty()) {
            hooks.addHealthCheck(id_ + "-check", [health] {
                return sdk::CheckResult{health, "1", health == "pass" ? "" : "as configured"};
            });
        }
        std::string early = c.at("early_header").get<std::string>();
        if (!early.empty()) {
            hooks.addEarlyHook(sdk::band::kDefault, [early](sdk::Request& req, sdk::Response& res) {
                if (!req.headers.has(early)) return sdk::EarlyResult::kContinue;
                res.send(299, "text/plain; charset=utf-8", "early answer");
                return sdk::EarlyResult::kRespond;
            });
        }
        hooks.addHeaderHook(
            [this](const sdk::Request&, sdk::Response& res) { res.headers.add("X-Fixture", id_); });
        if (c.at("transform").get<bool>()) {
            hooks.addHtmlTransform([this](std::string html, const sdk::TransformInfo&) {
                auto pos = html.find("</body>");
                if (pos != std::string::npos) html.insert(pos, "<!-- " + id_ + " -->");
                return html;
            });
        }
        auto& counter =
            ctx.metrics().counter("fixture_requests_total", "requests seen", {{"plugin", id_}});
        hooks.addCompletionHook([&counter](const sdk::Request&, const sdk::Response&,
                                           const sdk::Completion&) { counter.inc(); });
    }

    void validate(sdk::Context& ctx) override {
        logCall("validate", ctx.pluginId());
        if (fail_validate_) throw sdk::ConfigError("greeting", "validate refuses it");
    }

    void start(sdk::Context& ctx) override {
        if (fail_start_) throw std::runtime_error("asked to fail at start");
        sdk::ResourceSpec spec;
        spec.body = pageBody();
        spec.content_type = "text/html; charset=utf-8";
        page_ = ctx.buildResource(std::move(spec));
        sdk::ResourceSpec doc;
        doc.body = kDocument;
        doc.content_type = "text/html; charset=utf-8";
        doc_ = ctx.buildResource(std::move(doc));
        ctx.logger()->info("fixture {} started", id_);
    }

    void stop() noexcept override {
        if (stop_log_.empty()) return;
        std::ofstream out(stop_log_, std::ios::app);
        out << id_ << "\n";
    }

private:
    void logCall(const char* step, const std::string& id) const {
        if (call_log_.empty()) return;
        std::ofstream out(call_log_, std::ios::app);
        out << step << " " << id << "\n";
    }

    std::string pageBody() const {
        return "<!doctype html><html><body><p>" + greeting_ + "</p>" + std::string(2000, ' ') +
               "</body></html>";
    }

    std::string id_, greeting_, prefix_, stop_log_, call_log_;
    bool fail_start_ = false;
    bool fail_validate_ = false;
    std::atomic<int> ticks_{0};
    std::shared_ptr<const sdk::Resource> page_;
    std::shared_ptr<const sdk::Resource> doc_;
};

}  // namespace portico::tests::fixture

PORTICO_PLUGIN(portico::tests::fixture::FixturePlugin, FIXTURE_ID, "1.0.0",
               "Test fixture " FIXTURE_ID, portico::tests::fixture::kSchema, FIXTURE_DEPS)
