#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "traffic.hpp"

namespace portico::plugins::console::svg {

// Inline SVG charts: shapes and classes only (colours come from the stylesheet, so the
// Content-Security-Policy needs no inline style), each chart an image with a text alternative.

/// Page views (bars) and visitors (narrower bars in front) per day.
std::string dailyChart(const std::vector<Day>& days, const std::string& label);

/// A bar for a table cell, `value` of `max`; decorative (the cell beside it has the number).
std::string bar(std::int64_t value, std::int64_t max);

/// One stacked bar of the status classes ("2xx" ...), in that order.
std::string statusChart(const std::map<std::string, std::uint64_t>& by_status,
                        const std::string& label);

/// A line of requests per minute, oldest first.
std::string rateChart(const std::vector<double>& per_minute, const std::string& label);

}  // namespace portico::plugins::console::svg
