#include "route_table.hpp"

#include <algorithm>
#include <set>

namespace portico::host {

std::string Route::pattern() const {
    std::string p = spec.method + " " + spec.path;
    if (spec.prefix) p += (p.back() == '/' ? "*" : "/*");
    if (!spec.host.empty()) p += " @" + spec.host;
    return p;
}

namespace {

bool prefixMatches(const std::string& prefix, const std::string& path) {
    if (path.compare(0, prefix.size(), prefix) != 0) return false;
    if (path.size() == prefix.size() || prefix.back() == '/') return true;
    return path[prefix.size()] == '/';
}

// Returns the route for `method`, HEAD falling back to GET, and collects allowed methods.
const Route* pick(const std::map<std::string, Route>& by_method, const std::string& method,
                  bool& head_via_get, std::set<std::string>& allowed) {
    auto it = by_method.find(method);
    if (it != by_method.end()) return &it->second;
    if (method == "HEAD") {
        it = by_method.find("GET");
        if (it != by_method.end()) {
            head_via_get = true;
            return &it->second;
        }
    }
    for (const auto& [m, route] : by_method) {
        allowed.insert(m);
        if (m == "GET") allowed.insert("HEAD");
    }
    return nullptr;
}

}  // namespace

std::optional<std::string> RouteTable::add(Route route) {
    HostRoutes& host = hosts_[route.spec.host];
    PathRoutes* slot = nullptr;
    if (route.spec.prefix) {
        auto it = std::find_if(host.prefixes.begin(), host.prefixes.end(),
                               [&](const auto& p) { return p.first == route.spec.path; });
        if (it == host.prefixes.end()) {
            host.prefixes.emplace_back(route.spec.path, PathRoutes{});
            std::stable_sort(
                host.prefixes.begin(), host.prefixes.end(),
                [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
            it = std::find_if(host.prefixes.begin(), host.prefixes.end(),
                              [&](const auto& p) { return p.first == route.spec.path; });
        }
        slot = &it->second;
    } else {
        slot = &host.exact[route.spec.path];
    }
    auto existing = slot->by_method.find(route.spec.method);
    if (existing != slot->by_method.end()) {
        const std::string& owner = existing->second.plugin;
        return "route " + route.pattern() + " is already registered by " +
               (owner.empty() ? "the host" : "plugin '" + owner + "'");
    }
    std::string method = route.spec.method;
    slot->by_method.emplace(method, std::move(route));
    ++count_;
    return std::nullopt;
}

RouteTable::Match RouteTable::find(const std::string& host, const std::string& method,
                                   const std::string& path) const {
    Match match;
    std::set<std::string> allowed;
    bool path_known = false;
    auto search = [&](const HostRoutes& routes) -> bool {
        auto exact = routes.exact.find(path);
        if (exact != routes.exact.end()) {
            path_known = true;
            match.route = pick(exact->second.by_method, method, match.head_via_get, allowed);
            if (match.route) return true;
        }
        for (const auto& [prefix, prefix_routes] : routes.prefixes) {
            if (!prefixMatches(prefix, path)) continue;
            path_known = true;
            match.route = pick(prefix_routes.by_method, method, match.head_via_get, allowed);
            if (match.route) return true;
        }
        return false;
    };
    if (!host.empty()) {
        auto it = hosts_.find(host);
        if (it != hosts_.end() && search(it->second)) return match;
    }
    auto any = hosts_.find("");
    if (any != hosts_.end() && search(any->second)) return match;
    if (path_known) match.allowed.assign(allowed.begin(), allowed.end());
    return match;
}

}  // namespace portico::host
