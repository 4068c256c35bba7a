#pragma once

#include <spdlog/logger.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "compression.hpp"
#include "exchange.hpp"
#include "portico/sdk/hooks.hpp"
#include "portico/sdk/metrics.hpp"
#include "route_table.hpp"

namespace portico::host {

/// The hooks one plugin registered, kept apart until the plugin is known to be usable.
struct HookSet {
    struct Early {
        int band;
        sdk::EarlyHook hook;
        bool blocking = true;
    };
    std::vector<Early> early;
    std::vector<Route> routes;
    std::vector<sdk::HeaderHook> header;
    std::vector<sdk::HtmlTransform> transforms;
    std::vector<sdk::CompletionHook> completion;
    std::vector<std::pair<std::string, sdk::HealthCheck>> health;
};

/// The virtual-host step between the early hooks and routing: which Host names are known, what
/// an unknown one gets, and the www. redirect (the host config keys `site.unknown_hosts`,
/// `site.redirect_www`).
struct VirtualHosts {
    std::vector<std::string> hosts;  ///< the site's host names, lower-case, without port
    int unknown_status = 0;          ///< 0: serve the main site; else 404 or 421
    bool redirect_www = false;       ///< www.<known host> -> 301 to <known host>
    std::string scheme = "http";     ///< scheme of the redirect's Location (base_url's)
};

/// The request path of one config generation (DESIGN.md): early hooks by band, routing,
/// response-header hooks, compression of dynamic answers (`compressDynamic`), completion hooks.
/// Built once, then used concurrently without locks. With a `metrics` registry, each plugin's hooks
/// are timed into `portico_plugin_hook_seconds` and its failures counted in
/// `portico_plugin_errors_total` (metric objects registered in `add()`, so a request only reads the
/// steady clock).
class Pipeline {
public:
    Pipeline(std::shared_ptr<spdlog::logger> logger, std::uint64_t default_max_body,
             sdk::metrics::Registry* metrics = nullptr);

    /// Adds one plugin's hooks (in plugin order). Returns route conflicts, if any.
    std::vector<std::string> add(const std::string& plugin, const HookSet& hooks);

    /// Answers one request; never throws. Plugin exceptions become 500 with an error id.
    void handle(Exchange& exchange) const noexcept;
    /// Runs completion hooks; never throws.
    void complete(const Exchange& exchange) const noexcept;

    /// Sets the virtual-host policy; call before the first request. A host is known when it is
    /// in `hosts`, claimed by a host-specific route, a loopback name, or absent (HTTP/1.0).
    void setVirtualHosts(VirtualHosts policy);

    /// The body limit of the route `request` would reach (the default when none matches) and
    /// whether it may run on the I/O thread: on the public listener, when no early hook blocks
    /// and the route (if any matches) is not blocking. Called on I/O threads once a request
    /// header is complete.
    RouteTraits routeTraits(const sdk::Request& request, bool admin) const noexcept;
    std::size_t routeCount() const noexcept { return routes_.size(); }
    std::size_t adminRouteCount() const noexcept { return admin_routes_.size(); }

private:
    /// One plugin's metric objects; null without a registry.
    struct PluginMetrics {
        sdk::metrics::Counter* errors = nullptr;
        sdk::metrics::Histogram* early = nullptr;
        sdk::metrics::Histogram* route = nullptr;
        sdk::metrics::Histogram* header = nullptr;
        sdk::metrics::Histogram* transform = nullptr;
        sdk::metrics::Histogram* completion = nullptr;
    };
    struct Early {
        int band;
        std::string plugin;
        sdk::EarlyHook hook;
        const PluginMetrics* metrics;
    };
    struct HeaderHook {
        std::string plugin;
        sdk::HeaderHook hook;
        const PluginMetrics* metrics;
    };
    struct Completion {
        std::string plugin;
        sdk::CompletionHook hook;
        const PluginMetrics* metrics;
    };
    struct Transform {
        std::string plugin;
        sdk::HtmlTransform transform;
        const PluginMetrics* metrics;
    };

    const PluginMetrics* metricsFor(const std::string& plugin, const HookSet& hooks);

    bool knownHost(const std::string& host) const;
    /// The route for a request: the host's own routes first (plugin ""), then by virtual host.
    RouteTable::Match find(const std::string& host, const std::string& method,
                           const std::string& path, bool admin) const;
    /// The largest body `route` accepts: its own limit, else none for GET routes and the
    /// host's default for the others.
    std::uint64_t bodyLimit(const Route& route) const noexcept;
    /// Applies the virtual-host policy; true when it answered (redirect or error).
    bool virtualHost(Exchange& exchange) const;
    void route(Exchange& exchange) const;
    void finish(Exchange& exchange) const;
    /// The headers, 304 and encoding of a prebuilt resource's answer.
    void serveResource(Exchange& exchange) const;
    void fail(Exchange& exchange, const std::string& plugin, const std::string& where,
              const char* what) const noexcept;

    std::shared_ptr<spdlog::logger> logger_;
    std::uint64_t default_max_body_;
    sdk::metrics::Registry* registry_;
    std::map<std::string, std::unique_ptr<PluginMetrics>, std::less<>> metrics_;  // by plugin
    std::vector<Early> early_;
    bool blocking_early_ = false;  // some early hook may block: nothing runs inline
    RouteTable routes_;
    RouteTable host_routes_;  // the host's own public routes (live reload), also in routes_
    VirtualHosts virtual_hosts_;
    RouteTable admin_routes_;
    std::vector<Transform> transforms_;  // for dynamic text/html answers
    std::vector<HeaderHook> header_;
    std::vector<Completion> completion_;
    DynamicCompression compression_;  // for dynamic answers on the public listener
};

/// Sets an error response with a short plain-text body ("404 Not Found").
void setError(sdk::Response& response, int status, const std::string& detail = {});

/// A random lowercase hex string of `length` characters.
std::string randomHex(std::size_t length);

}  // namespace portico::host
