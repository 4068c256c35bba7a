#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "portico/sdk/data.hpp"

namespace portico::plugins::console {

/// One day of the insights plugin's figures.
struct Day {
    std::string day;  ///< YYYY-MM-DD (UTC)
    std::int64_t visitors = 0;
    std::int64_t views = 0;
};

using Ranked = std::vector<std::pair<std::string, std::int64_t>>;

/// The insights figures of a period: read from the view and the table the insights plugin
/// owns and documents for readers (`insights_days`, `insights_hourly`; plugins/insights).
struct Traffic {
    std::vector<Day> days;  ///< every day of the period, oldest first, missing days as 0
    Ranked pages, referrers, campaigns, locales, devices, not_found;
};

/// The last `days` days up to `today` (YYYY-MM-DD), the top 10 of each dimension. Throws
/// Poco::Exception when the store cannot be read.
Traffic readTraffic(sdk::DataStore& store, const std::string& today, int days);

/// `day` (YYYY-MM-DD) moved by `delta` days. Pure.
std::string addDays(const std::string& day, int delta);

}  // namespace portico::plugins::console
