#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace portico::plugins::metrics {

/// GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS as themselves; anything else as OTHER, so a
/// client cannot grow the series count.
const char* foldMethod(std::string_view method) noexcept;

/// `host` when it is one of `known` (already lower-case), else "_other".
std::string foldHost(const std::string& host, const std::vector<std::string>& known);

/// The route label: the route template, or "_none" when no route answered (404, early answers).
std::string routeLabel(const std::string& route);

}  // namespace portico::plugins::metrics
