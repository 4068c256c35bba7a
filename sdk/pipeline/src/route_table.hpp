#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "exchange.hpp"
#include "portico/sdk/hooks.hpp"

namespace portico::host {

/// A registered route and who owns it.
struct Route {
    sdk::RouteSpec spec;
    sdk::Handler handler;
    std::string plugin;
    /// Host routes only (never a plugin's): opens the stream that follows a GET's 200 answer
    /// (server-sent events); null when no stream can be had (the route then answers 503).
    std::function<std::shared_ptr<ResponseStream>()> stream = nullptr;
    /// "GET /hello" or "GET /static/*", with "@host" when the route is host-specific.
    std::string pattern() const;
};

/// Maps host + method + path to the one route that owns it. Built once per config generation,
/// then read concurrently without locks.
class RouteTable {
public:
    /// Adds a route. Returns a conflict message (naming both plugins) when another route
    /// already owns the same host + method + path + match kind; the table is then unchanged.
    std::optional<std::string> add(Route route);

    struct Match {
        const Route* route = nullptr;      ///< the handler to run, if any
        std::vector<std::string> allowed;  ///< methods the path supports, when route is null
        bool head_via_get = false;         ///< a HEAD request answered by a GET route
    };

    /// Looks a request up: the request's host before the any-host routes, an exact path before
    /// prefixes, the longest prefix first. HEAD falls back to GET. When the path is known but
    /// not the method, `allowed` lists the methods (for 405 with Allow).
    Match find(const std::string& host, const std::string& method, const std::string& path) const;

    /// True when a route was registered for exactly this (non-empty) host: the host is claimed.
    bool hasHost(const std::string& host) const { return !host.empty() && hosts_.count(host) > 0; }

    std::size_t size() const noexcept { return count_; }

private:
    struct PathRoutes {
        std::map<std::string, Route> by_method;
    };
    struct HostRoutes {
        std::map<std::string, PathRoutes> exact;
        std::vector<std::pair<std::string, PathRoutes>> prefixes;  // longest first
    };
    std::map<std::string, HostRoutes> hosts_;  // "" = any host
    std::size_t count_ = 0;
};

}  // namespace portico::host
