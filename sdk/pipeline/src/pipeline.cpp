#include "pipeline.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <random>

#include "compression.hpp"
#include "portico/sdk/errors.hpp"
#include "portico/sdk/redirect.hpp"

namespace portico::host {
namespace {

// If-None-Match (RFC 9110 13.1.2): "*" alone, or a list of entity tags compared weakly.
bool etagMatches(const std::string& header, const std::string& etag) {
    auto strip = [](std::string tag) {
        if (tag.rfind("W/", 0) == 0) tag.erase(0, 2);
        return tag;
    };
    std::string want = strip(etag);
    std::size_t pos = 0;
    while (pos < header.size()) {
        std::size_t end = header.find(',', pos);
        if (end == std::string::npos) end = header.size();
        std::string tag = header.substr(pos, end - pos);
        tag.erase(0, tag.find_first_not_of(" \t"));
        tag.erase(tag.find_last_not_of(" \t") + 1);
        if (tag == "*" || strip(tag) == want) return true;
        pos = end + 1;
    }
    return false;
}

// Upper bounds of portico_plugin_hook_seconds: most hooks take microseconds, handlers more.
const std::vector<double> kHookBounds = {0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005,
                                         0.01,    0.05,    0.1,    0.5,    1,     5};

// Observes the time from construction to destruction into `histogram`, when there is one.
class HookTimer {
public:
    explicit HookTimer(sdk::metrics::Histogram* histogram) noexcept
        : histogram_(histogram),
          start_(histogram ? std::chrono::steady_clock::now()
                           : std::chrono::steady_clock::time_point{}) {}
    ~HookTimer() {
        if (histogram_) {
            histogram_->observe(
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
        }
    }
    HookTimer(const HookTimer&) = delete;
    HookTimer& operator=(const HookTimer&) = delete;

private:
    sdk::metrics::Histogram* histogram_;
    std::chrono::steady_clock::time_point start_;
};

// Times a run of consecutive hooks with one clock read between two of them instead of two: a
// hook's time runs from the end of the previous one (or the start of the run) to its own end.
class HookClock {
public:
    explicit HookClock(bool on) noexcept
        : on_(on),
          last_(on ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{}) {}

    /// Observes, on destruction, the time since the previous lap into `histogram`.
    class Lap {
    public:
        Lap(HookClock& clock, sdk::metrics::Histogram* histogram) noexcept
            : clock_(clock), histogram_(histogram) {}
        ~Lap() {
            if (!clock_.on_) return;
            const auto now = std::chrono::steady_clock::now();
            if (histogram_) {
                histogram_->observe(std::chrono::duration<double>(now - clock_.last_).count());
            }
            clock_.last_ = now;
        }
        Lap(const Lap&) = delete;
        Lap& operator=(const Lap&) = delete;

    private:
        HookClock& clock_;
        sdk::metrics::Histogram* histogram_;
    };

private:
    bool on_;
    std::chrono::steady_clock::time_point last_;
};

void countError(sdk::metrics::Counter* counter) noexcept {
    if (counter) counter->inc();
}

}  // namespace

std::string randomHex(std::size_t length) {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    static const char* digits = "0123456789abcdef";
    std::string out(length, '0');
    for (auto& c : out) c = digits[rng() & 15u];
    return out;
}

void setError(sdk::Response& response, int status, const std::string& detail) {
    response.status = status;
    response.resource.reset();
    response.headers.set("Content-Type", "text/plain; charset=utf-8");
    response.headers.set("Cache-Control", "no-store");
    response.body = std::to_string(status) + " " + sdk::reasonPhrase(status) + "\n";
    if (!detail.empty()) response.body += detail + "\n";
}

Pipeline::Pipeline(std::shared_ptr<spdlog::logger> logger, std::uint64_t default_max_body,
                   sdk::metrics::Registry* metrics)
    : logger_(std::move(logger)), default_max_body_(default_max_body), registry_(metrics) {}

const Pipeline::PluginMetrics* Pipeline::metricsFor(const std::string& plugin,
                                                    const HookSet& hooks) {
    static const PluginMetrics kNone;
    if (!registry_ || plugin.empty()) return &kNone;
    auto it = metrics_.find(plugin);
    if (it != metrics_.end()) return it->second.get();
    auto m = std::make_unique<PluginMetrics>();
    m->errors = &registry_->counter(
        "portico_plugin_errors_total",
        "Unexpected exceptions thrown by a plugin's hooks and handlers.", {{"plugin", plugin}});
    auto histogram = [&](const char* hook) {
        return &registry_->histogram("portico_plugin_hook_seconds",
                                     "Time spent in a plugin's hooks and handlers, by hook kind.",
                                     kHookBounds, {{"plugin", plugin}, {"hook", hook}});
    };
    // Only the kinds the plugin registered, so the exposition lists no empty series.
    if (!hooks.early.empty()) m->early = histogram("early");
    if (!hooks.routes.empty()) m->route = histogram("route");
    if (!hooks.header.empty()) m->header = histogram("header");
    if (!hooks.transforms.empty()) m->transform = histogram("transform");
    if (!hooks.completion.empty()) m->completion = histogram("completion");
    return metrics_.emplace(plugin, std::move(m)).first->second.get();
}

std::vector<std::string> Pipeline::add(const std::string& plugin, const HookSet& hooks) {
    std::vector<std::string> conflicts;
    const PluginMetrics* m = metricsFor(plugin, hooks);
    for (const auto& e : hooks.early) {
        early_.push_back({e.band, plugin, e.hook, m});
        blocking_early_ = blocking_early_ || e.blocking;
    }
    std::stable_sort(early_.begin(), early_.end(),
                     [](const Early& a, const Early& b) { return a.band < b.band; });
    for (auto route : hooks.routes) {
        route.plugin = plugin;
        if (!route.spec.listener.empty() && route.spec.listener != "admin") {
            conflicts.push_back("route " + route.pattern() + " names unknown listener '" +
                                route.spec.listener + "'; use \"\" or \"admin\"");
            continue;
        }
        RouteTable& table = route.spec.listener == "admin" ? admin_routes_ : routes_;
        // The host's own routes answer on every virtual host, even one a plugin claims whole.
        if (plugin.empty() && route.spec.listener.empty()) host_routes_.add(route);
        if (auto conflict = table.add(std::move(route))) conflicts.push_back(*conflict);
    }
    for (const auto& t : hooks.transforms) transforms_.push_back({plugin, t, m});
    for (const auto& h : hooks.header) header_.push_back({plugin, h, m});
    for (const auto& c : hooks.completion) completion_.push_back({plugin, c, m});
    return conflicts;
}

std::uint64_t Pipeline::bodyLimit(const Route& route) const noexcept {
    if (route.spec.max_body_bytes) return route.spec.max_body_bytes;
    // A GET (and so HEAD) route expects no body: one is refused before it is read.
    return route.spec.method == "GET" ? 0 : default_max_body_;
}

RouteTraits Pipeline::routeTraits(const sdk::Request& request, bool admin) const noexcept {
    auto match = find(request.host, request.method, request.path, admin);
    RouteTraits traits;
    traits.max_body_bytes = match.route ? bodyLimit(*match.route) : default_max_body_;
    // Without a route the host answers itself (404, 405, a virtual-host answer): never blocks.
    traits.runs_inline =
        !admin && !blocking_early_ && (!match.route || !match.route->spec.blocking);
    return traits;
}

RouteTable::Match Pipeline::find(const std::string& host, const std::string& method,
                                 const std::string& path, bool admin) const {
    if (admin) return admin_routes_.find(host, method, path);
    if (host_routes_.size() > 0) {
        auto match = host_routes_.find("", method, path);
        if (match.route) return match;
    }
    return routes_.find(host, method, path);
}

void Pipeline::fail(Exchange& exchange, const std::string& plugin, const std::string& where,
                    const char* what) const noexcept {
    try {
        std::string id = randomHex(8);
        logger_->error("error {}: plugin '{}' failed in {} for {} {}: {}", id, plugin, where,
                       exchange.request.method, exchange.request.path, what);
        setError(exchange.response, 500, "error id: " + id);
        exchange.response.headers.set("X-Error-Id", id);
    } catch (...) {
        exchange.response.status = 500;
    }
}

void Pipeline::handle(Exchange& exchange) const noexcept {
    exchange.head = exchange.request.method == "HEAD";
    bool answered = exchange.admin;  // the admin listener runs routes only
    if (exchange.admin) {
        try {
            route(exchange);
        } catch (const std::exception& err) {
            fail(exchange, "", "routing", err.what());
        }
    }
    HookClock early_clock(registry_ != nullptr && !exchange.admin && !early_.empty());
    for (const auto& e : early_) {
        if (exchange.admin) break;  // the admin listener runs routes only
        try {
            HookClock::Lap lap(early_clock, e.metrics->early);
            if (e.hook(exchange.request, exchange.response) == sdk::EarlyResult::kRespond) {
                exchange.completion.plugin = e.plugin;
                answered = true;
                break;
            }
        } catch (const sdk::HttpError& err) {
            setError(exchange.response, err.status(), err.what());
            answered = true;
            break;
        } catch (const std::exception& err) {
            countError(e.metrics->errors);
            fail(exchange, e.plugin, "an early hook", err.what());
            answered = true;
            break;
        } catch (...) {
            countError(e.metrics->errors);
            fail(exchange, e.plugin, "an early hook", "unknown exception");
            answered = true;
            break;
        }
    }
    if (!answered) {
        try {
            answered = virtualHost(exchange);
        } catch (const std::exception& err) {
            fail(exchange, "", "virtual host", err.what());
            answered = true;
        }
    }
    if (!answered) {
        try {
            route(exchange);
        } catch (const std::exception& err) {
            fail(exchange, "", "routing", err.what());
        }
    }
    finish(exchange);
}

void Pipeline::setVirtualHosts(VirtualHosts policy) {
    for (auto& host : policy.hosts) {
        std::transform(host.begin(), host.end(), host.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    }
    virtual_hosts_ = std::move(policy);
}

bool Pipeline::knownHost(const std::string& host) const {
    const bool loopback_ip = host.compare(0, 4, "127.") == 0 &&
                             host.find_first_not_of("0123456789.") == std::string::npos;
    if (host.empty() || host == "localhost" || host == "::1" || loopback_ip) return true;
    const auto& hosts = virtual_hosts_.hosts;
    return std::find(hosts.begin(), hosts.end(), host) != hosts.end() || routes_.hasHost(host);
}

bool Pipeline::virtualHost(Exchange& exchange) const {
    auto& req = exchange.request;
    if (req.host.size() > 1 && req.host.back() == '.') req.host.pop_back();  // FQDN form
    if (virtual_hosts_.redirect_www && req.host.size() > 4 && req.host.compare(0, 4, "www.") == 0 &&
        knownHost(req.host.substr(4))) {
        // Keep the port the client used (a local setup on :8080); behind a proxy there is none.
        std::string port;
        const std::string header = req.headers.getOr("Host", "");
        const auto colon = header.rfind(':');
        if (colon != std::string::npos && colon + 1 < header.size() &&
            header.find_first_not_of("0123456789", colon + 1) == std::string::npos) {
            port = header.substr(colon);
        }
        sdk::redirect(exchange.response, 301,
                      virtual_hosts_.scheme + "://" + req.host.substr(4) + port +
                          sdk::originForm(req.target));
        return true;
    }
    if (virtual_hosts_.unknown_status == 0 || knownHost(req.host)) return false;
    setError(exchange.response, virtual_hosts_.unknown_status);
    return true;
}

void Pipeline::route(Exchange& exchange) const {
    auto& req = exchange.request;
    auto& res = exchange.response;
    auto match = find(req.host, req.method, req.path, exchange.admin);
    if (!match.route) {
        if (match.allowed.empty()) {
            setError(res, 404);
        } else {
            std::string allow;
            for (const auto& m : match.allowed) allow += (allow.empty() ? "" : ", ") + m;
            setError(res, 405);
            res.headers.set("Allow", allow);
        }
        return;
    }
    const Route& route = *match.route;
    exchange.completion.plugin = route.plugin;
    exchange.completion.route = route.pattern();
    const std::uint64_t limit = bodyLimit(route);
    if (req.body.size() > limit) {
        setError(res, 413, "the request body exceeds " + std::to_string(limit) + " bytes");
        return;
    }
    const PluginMetrics* m = nullptr;
    if (auto it = metrics_.find(route.plugin); it != metrics_.end()) m = it->second.get();
    try {
        HookTimer timer(m ? m->route : nullptr);
        route.handler(req, res);
    } catch (const sdk::HttpError& err) {
        setError(res, err.status(), err.what());
    } catch (const std::exception& err) {
        countError(m ? m->errors : nullptr);
        fail(exchange, route.plugin, "route " + route.pattern(), err.what());
    } catch (...) {
        countError(m ? m->errors : nullptr);
        fail(exchange, route.plugin, "route " + route.pattern(), "unknown exception");
    }
    if (route.stream && res.status == 200 && req.method == "GET") {
        exchange.stream = route.stream();
        if (!exchange.stream) {
            setError(res, 503, "too many open streams");
            res.headers.set("Retry-After", "5");
        }
    }
}

void Pipeline::serveResource(Exchange& exchange) const {
    auto& req = exchange.request;
    auto& res = exchange.response;
    const sdk::Resource& r = *res.resource;
    res.headers.set("Content-Type", r.content_type);
    if (!r.etag.empty()) res.headers.set("ETag", r.etag);
    if (!r.last_modified.empty()) res.headers.set("Last-Modified", r.last_modified);
    res.headers.set("Cache-Control", r.cache_control.empty() ? "no-cache" : r.cache_control);
    bool variants = !r.gzip.empty() || !r.brotli.empty();
    if (variants) addVary(res.headers, "Accept-Encoding");
    bool cacheable = res.status == 200 && (req.method == "GET" || req.method == "HEAD");
    auto inm = req.headers.get("If-None-Match");
    auto ims = req.headers.get("If-Modified-Since");
    if (cacheable && ((inm && etagMatches(*inm, r.etag)) ||
                      (!inm && ims && !r.last_modified.empty() && *ims == r.last_modified))) {
        res.status = 304;
        exchange.payload = {};
    } else {
        exchange.payload = r.body;
        switch (chooseEncoding(req.headers.getOr("Accept-Encoding", ""), !r.brotli.empty(),
                               !r.gzip.empty())) {
            case Encoding::kBrotli:
                exchange.payload = r.brotli;
                res.headers.set("Content-Encoding", "br");
                break;
            case Encoding::kGzip:
                exchange.payload = r.gzip;
                res.headers.set("Content-Encoding", "gzip");
                break;
            case Encoding::kIdentity:
                break;
        }
    }
}

void Pipeline::finish(Exchange& exchange) const {
    auto& req = exchange.request;
    auto& res = exchange.response;
    if (res.resource) {
        serveResource(exchange);
    } else {
        if (res.status == 304 || res.status == 204 || res.status < 200) res.body.clear();
        if (res.status == 200 && !transforms_.empty() && !exchange.admin) {
            auto type = res.headers.getOr("Content-Type", "");
            if (type.compare(0, 9, "text/html") == 0) {
                sdk::TransformInfo info{req.path, ""};
                for (const auto& t : transforms_) {
                    try {
                        HookTimer timer(t.metrics->transform);
                        std::string out =
                            t.transform(res.body, info);  // keep the body if it throws
                        res.body = std::move(out);
                    } catch (const std::exception& err) {
                        countError(t.metrics->errors);
                        logger_->error("plugin '{}' html transform failed for {}: {}", t.plugin,
                                       req.path, err.what());
                    }
                }
            }
        }
        exchange.payload = res.body;
    }
    if (exchange.admin) {
        res.headers.set("X-Request-Id", req.request_id);
        return;
    }
    HookClock header_clock(registry_ != nullptr && !header_.empty());
    for (const auto& h : header_) {
        try {
            HookClock::Lap lap(header_clock, h.metrics->header);
            h.hook(req, res);
        } catch (const std::exception& err) {
            countError(h.metrics->errors);
            logger_->error("plugin '{}' header hook failed for {} {}: {}", h.plugin, req.method,
                           req.path, err.what());
        } catch (...) {
            countError(h.metrics->errors);
            logger_->error("plugin '{}' header hook failed for {} {}", h.plugin, req.method,
                           req.path);
        }
    }
    if (!res.resource && !exchange.stream) {
        // After the header hooks, so that what the client gets is what was encoded. A stream's
        // later bytes go out as they are, so its first ones do too.
        compressDynamic(req.headers.getOr("Accept-Encoding", ""), res, compression_);
        exchange.payload = res.body;  // a header hook may not swap bodies
    }
    res.headers.set("X-Request-Id", req.request_id);
}

void Pipeline::complete(const Exchange& exchange) const noexcept {
    if (exchange.admin) return;  // the admin listener runs routes only
    HookClock clock(registry_ != nullptr && !completion_.empty());
    for (const auto& c : completion_) {
        try {
            HookClock::Lap lap(clock, c.metrics->completion);
            c.hook(exchange.request, exchange.response, exchange.completion);
        } catch (...) {
            countError(c.metrics->errors);
            // Completion hooks must not throw; one that does only loses its own record.
        }
    }
}

}  // namespace portico::host
