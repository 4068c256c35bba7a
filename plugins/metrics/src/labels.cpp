#include "labels.hpp"

#include <algorithm>

namespace portico::plugins::metrics {

const char* foldMethod(std::string_view method) noexcept {
    static const char* const kKnown[] = {"GET",    "HEAD",  "POST",   "PUT",
                                         "DELETE", "PATCH", "OPTIONS"};
    for (const char* m : kKnown) {
        if (method == m) return m;
    }
    return "OTHER";
}

std::string foldHost(const std::string& host, const std::vector<std::string>& known) {
    return std::find(known.begin(), known.end(), host) != known.end() ? host : "_other";
}

std::string routeLabel(const std::string& route) { return route.empty() ? "_none" : route; }

}  // namespace portico::plugins::metrics
