#pragma once

// Turns the hits of one flush into hourly counts and the day's visitor hashes: the only place
// where a client address or user agent is read, and where it is forgotten.

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "bots.hpp"
#include "classify.hpp"

namespace portico::plugins::insights {

/// One hourly counter: hour "2026-12-03T14" (UTC), dimension ("page", "locale", "referrer",
/// "utm_source", "utm_medium", "utm_campaign", "browser", "os", "device", "not_found"), value.
struct CountKey {
    std::string hour;
    std::string dimension;
    std::string value;
    bool operator<(const CountKey& other) const {
        return std::tie(hour, dimension, value) <
               std::tie(other.hour, other.dimension, other.value);
    }
};

/// What one flush writes.
struct Batch {
    std::map<CountKey, std::int64_t> counts;
    std::set<std::pair<std::string, std::string>> visitors;  ///< (day, salted hash)
    std::int64_t views = 0;
    std::int64_t bots = 0;

    bool empty() const { return counts.empty() && visitors.empty(); }
    /// Adds `other` (a batch whose write failed waits for the next flush this way).
    void merge(const Batch& other);
};

/// "2026-12-03T14" and "2026-12-03" for a time in seconds since the epoch (UTC).
std::string hourOf(std::int64_t seconds);
std::string dayOf(std::int64_t seconds);

/// Plausible's visitor id: a hash of (daily salt, site host, client address, user agent), 32
/// hex digits of SHA-256. Without the salt, which is deleted when its day ends, nobody can tell
/// which address or browser it came from, nor link two days.
std::string visitorHash(const std::string& salt, const std::string& host, const std::string& client,
                        const std::string& user_agent);

/// Sorts hits into counts; keeps, per hour, at most `max_values_per_hour` distinct values of
/// each dimension and counts the rest as "(other)". Not thread-safe: one flush at a time.
class Aggregator {
public:
    struct Site {
        std::vector<std::string> hosts;    ///< the site's own hosts (not a referrer)
        std::vector<std::string> locales;  ///< first path segments that name a locale
    };

    Aggregator(const BotList& bots, Site site, std::uint32_t max_values_per_hour);

    /// `salt(day)` gives the salt of a day ("2026-12-03").
    Batch aggregate(const std::vector<Hit>& hits,
                    const std::function<std::string(const std::string& day)>& salt);

private:
    void count(Batch& batch, const std::string& hour, const std::string& dimension,
               const std::string& value);

    const BotList& bots_;
    Site site_;
    std::uint32_t max_values_;
    std::string hour_;                                   // the hour `seen_` is about
    std::map<std::string, std::set<std::string>> seen_;  // dimension -> values this hour
};

}  // namespace portico::plugins::insights
