#include "portico/testkit/test_host.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <tuple>

#include "portico/sdk/schema.hpp"
#include "test_context.hpp"

namespace portico::testkit {

namespace {

constexpr const char* kTextPlain = "text/plain; charset=utf-8";

bool pathMatches(const sdk::RouteSpec& spec, const std::string& path) {
    if (path == spec.path) return true;
    if (!spec.prefix || path.compare(0, spec.path.size(), spec.path) != 0) return false;
    return spec.path.back() == '/' || path[spec.path.size()] == '/';
}

// Higher is more specific: a host of its own, then an exact path, then a longer prefix.
std::tuple<bool, bool, std::size_t> rank(const sdk::RouteSpec& spec) {
    return {!spec.host.empty(), !spec.prefix, spec.path.size()};
}

bool methodMatches(const sdk::RouteSpec& spec, const std::string& method) {
    return spec.method == method || (method == "HEAD" && spec.method == "GET");
}

// The routes owning the request's path, most specific first; `allow` gets their methods
// when none of them takes the request's method.
const RegisteredRoute* findRoute(const std::vector<RegisteredRoute>& routes,
                                 const sdk::Request& request, std::string& allow,
                                 bool& path_known) {
    const RegisteredRoute* best = nullptr;
    for (const auto& route : routes) {
        const bool host_ok = route.spec.host.empty() || sdk::iequals(route.spec.host, request.host);
        if (!host_ok || !pathMatches(route.spec, request.path)) continue;
        if (best == nullptr || rank(route.spec) > rank(best->spec)) best = &route;
    }
    path_known = best != nullptr;
    if (best == nullptr) return nullptr;
    std::vector<std::string> methods;
    for (const auto& route : routes) {
        if (rank(route.spec) != rank(best->spec) || route.spec.path != best->spec.path ||
            !sdk::iequals(route.spec.host, best->spec.host)) {
            continue;
        }
        if (methodMatches(route.spec, request.method)) return &route;
        methods.push_back(route.spec.method);
        if (route.spec.method == "GET") methods.push_back("HEAD");
    }
    std::sort(methods.begin(), methods.end());
    methods.erase(std::unique(methods.begin(), methods.end()), methods.end());
    for (const auto& m : methods) allow += (allow.empty() ? "" : ", ") + m;
    return nullptr;
}

bool etagMatches(const std::string& if_none_match, const std::string& etag) {
    std::size_t start = 0;
    while (start <= if_none_match.size()) {
        std::size_t comma = if_none_match.find(',', start);
        if (comma == std::string::npos) comma = if_none_match.size();
        std::string candidate = if_none_match.substr(start, comma - start);
        candidate.erase(0, candidate.find_first_not_of(" \t"));
        candidate.erase(candidate.find_last_not_of(" \t") + 1);
        if (candidate.rfind("W/", 0) == 0) candidate.erase(0, 2);
        if (candidate == "*" || candidate == etag) return true;
        start = comma + 1;
    }
    return false;
}

void flattenResource(const sdk::Request& request, sdk::Response& response) {
    const sdk::Resource& res = *response.resource;
    const auto if_none_match = request.headers.get("If-None-Match");
    if (if_none_match && etagMatches(*if_none_match, res.etag)) {
        response.status = 304;
        response.body.clear();
    } else {
        response.body = res.body;
        if (!response.headers.has("Content-Type")) {
            response.headers.set("Content-Type", res.content_type);
        }
    }
    response.headers.set("ETag", res.etag);
    if (!response.headers.has("Cache-Control")) {
        response.headers.set("Cache-Control", res.cache_control);
    }
    if (!res.last_modified.empty()) response.headers.set("Last-Modified", res.last_modified);
}

}  // namespace

TestHost::TestHost(const std::string& plugin_file, nlohmann::json config, TestHostOptions options)
    : state_(std::make_unique<State>()) {
    State& s = *state_;
    s.library = sdk::PluginLibrary::open(plugin_file);
    const std::string id = s.library->id();

    if (config.is_null()) config = nlohmann::json::object();
    std::string level = options.log_level;
    if (config.is_object()) {
        const auto it = config.find("log_level");
        if (it != config.end() && it->is_string()) level = it->get<std::string>();
        for (const char* key : {"enabled", "required", "log_level"}) config.erase(key);
    }
    nlohmann::json schema;
    try {
        const char* text = s.library->record().config_schema;
        schema = nlohmann::json::parse(text != nullptr ? text : "{}");
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error(plugin_file + ": config schema of plugin '" + id +
                                 "' is not valid JSON: " + e.what());
    }
    std::vector<sdk::ConfigIssue> issues;
    sdk::validateAgainstSchema(schema, config, "", issues);
    if (!issues.empty()) throw sdk::ConfigError(std::move(issues));

    s.sink = std::make_shared<detail::MemorySink>();
    auto logger = std::make_shared<spdlog::logger>(id, s.sink);
    logger->set_pattern("[%l] %v");
    logger->set_level(spdlog::level::from_str(level));

    sdk::SiteInfo site;
    site.base_url = options.base_url;
    site.hosts = options.hosts;
    site.locales = options.locales;
    site.default_locale = options.locales.empty() ? "" : options.locales.front();
    site.config_dir = s.temp_dir.path();
    site.data_dir = options.data_dir.empty() ? s.temp_dir.path() + "/data" : options.data_dir;
    std::filesystem::create_directories(site.data_dir);
    s.data = std::make_unique<detail::TestDataStore>(site.data_dir);
    s.data->setPluginId(id);

    s.context = std::make_unique<detail::TestContext>(id, std::move(config), std::move(logger),
                                                      s.metrics, s.clock, s.scheduler,
                                                      std::move(site), s.status, s.site_model, *s.data);
    s.plugin = s.library->create();
    // An exception thrown inside the plugin may have its type (vtable, destructor) in the
    // plugin's .so, which is closed when this constructor fails. Rethrow a copy whose type
    // lives in the SDK or the standard library instead.
    auto rethrowDetached = []() {
        try {
            throw;
        } catch (const sdk::ConfigError& e) {
            throw sdk::ConfigError(e.issues());
        } catch (const sdk::HttpError& e) {
            throw sdk::HttpError(e.status(), e.what());
        } catch (const std::exception& e) {
            throw std::runtime_error(e.what());
        } catch (...) {
            throw std::runtime_error("unknown exception from the plugin");
        }
    };
    s.context->configuring = true;
    try {
        s.plugin->configure(*s.context);
    } catch (...) {
        s.context->configuring = false;
        rethrowDetached();
    }
    s.context->configuring = false;
    try {
        s.plugin->validate(*s.context);
    } catch (...) {
        rethrowDetached();
    }
    s.started = true;
    try {
        s.plugin->start(*s.context);
    } catch (...) {
        s.scheduler.clear();
        s.plugin->stop();
        s.stopped = true;
        rethrowDetached();
    }
    s.status.setStarted(true);
    s.status.setPlugins({{id, s.library->record().version, "started", ""}});
}

TestHost::~TestHost() {
    State& s = *state_;
    s.scheduler.clear();  // tasks stop before Plugin::stop(), as in the host
    if (s.started && !s.stopped) {
        s.plugin->stop();
        s.stopped = true;
    }
    s.plugin.reset();
    s.context.reset();
    // The rest of State (library last) goes with state_.
}

sdk::Response TestHost::handle(const sdk::Request& original) {
    State& s = *state_;
    detail::TestContext& ctx = *s.context;
    sdk::Request request = original;
    sdk::Response response;
    sdk::Completion completion;
    const std::string& id = ctx.pluginId();

    auto fail = [&](const std::string& where, const char* what) {
        const std::string error_id = "test-error-" + std::to_string(s.next_error_id++);
        ctx.logger()->error("{}: {} failed (error id {}): {}", id, where, error_id, what);
        response = sdk::Response{};
        response.send(500, kTextPlain, "internal server error (error id " + error_id + ")\n");
    };
    auto clientError = [&](const sdk::HttpError& e) {
        response = sdk::Response{};
        response.send(e.status(), kTextPlain, std::string(e.what()) + "\n");
    };
    // Runs one piece of plugin code with the host's exception policy; false when it threw.
    auto guarded = [&](const std::string& where, const auto& fn) {
        try {
            fn();
            return true;
        } catch (const sdk::HttpError& e) {
            clientError(e);
        } catch (const std::exception& e) {
            fail(where, e.what());
        } catch (...) {
            fail(where, "unknown exception");
        }
        return false;
    };

    bool answered = false;
    for (const auto& [band, hook] : ctx.early_hooks) {
        sdk::EarlyResult result = sdk::EarlyResult::kContinue;
        const bool ok = guarded("early hook (band " + std::to_string(band) + ")",
                                [&] { result = hook(request, response); });
        if (!ok || result == sdk::EarlyResult::kRespond) {
            answered = true;
            completion.plugin = id;
            break;
        }
    }

    if (!answered) {
        std::string allow;
        bool path_known = false;
        const RegisteredRoute* route = findRoute(ctx.routes, request, allow, path_known);
        if (route != nullptr) {
            completion.plugin = id;
            completion.route = route->spec.path;
            guarded("route " + route->spec.method + " " + route->spec.path,
                    [&] { route->handler(request, response); });
        } else if (path_known) {
            response.send(405, kTextPlain, "method not allowed\n");
            response.headers.set("Allow", allow);
        } else {
            response.send(404, kTextPlain, "not found\n");
        }
    }

    if (response.resource) flattenResource(request, response);
    for (const auto& hook : ctx.header_hooks) {
        if (!guarded("header hook", [&] { hook(request, response); })) break;
    }
    if (request.method == "HEAD") response.body.clear();

    completion.bytes_sent = response.body.size();
    for (const auto& hook : ctx.completion_hooks) {
        try {
            hook(request, response, completion);
        } catch (const std::exception& e) {
            ctx.logger()->error("{}: completion hook threw: {}", id, e.what());
        } catch (...) {
            ctx.logger()->error("{}: completion hook threw an unknown exception", id);
        }
    }
    s.last_completion = completion;
    return response;
}

const nlohmann::json& TestHost::config() const { return state_->context->config(); }
sdk::Plugin& TestHost::plugin() { return *state_->plugin; }
const sdk::PluginLibrary& TestHost::library() const { return *state_->library; }
FakeClock& TestHost::clock() { return state_->clock; }
ManualScheduler& TestHost::scheduler() { return state_->scheduler; }
sdk::metrics::Registry& TestHost::metrics() { return state_->metrics; }
const sdk::SiteInfo& TestHost::site() const { return state_->context->site(); }
TestStatus& TestHost::status() { return state_->status; }
sdk::SiteModel& TestHost::siteModel() { return state_->site_model; }
sdk::DataStore& TestHost::data() { return *state_->data; }
std::vector<std::string> TestHost::logLines() const { return state_->sink->lines(); }
const std::vector<RegisteredRoute>& TestHost::routes() const { return state_->context->routes; }
std::size_t TestHost::earlyHookCount() const { return state_->context->early_hooks.size(); }
std::size_t TestHost::blockingEarlyHookCount() const {
    return state_->context->blocking_early_hooks;
}
std::size_t TestHost::headerHookCount() const { return state_->context->header_hooks.size(); }
std::size_t TestHost::htmlTransformCount() const {
    return state_->context->html_transforms.size();
}
std::size_t TestHost::completionHookCount() const {
    return state_->context->completion_hooks.size();
}
const sdk::Completion& TestHost::lastCompletion() const { return state_->last_completion; }

std::shared_ptr<const sdk::Resource> TestHost::buildResource(sdk::ResourceSpec spec) const {
    return state_->context->buildResource(std::move(spec));
}

}  // namespace portico::testkit
