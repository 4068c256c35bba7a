#include "config.hpp"

#include "portico/sdk/errors.hpp"

namespace portico::plugins::insights {

const char* const kSchema = R"json({
  "type": "object",
  "properties": {
    "flush_seconds": {"type": "integer", "minimum": 1, "maximum": 3600, "default": 60,
      "description": "How often counted page views are written to the store, as hourly aggregates (off the request path). Also the longest a page view waits to show up; the rest is written on shutdown."},
    "retention_days": {"type": "integer", "minimum": 1, "maximum": 36500, "default": 400,
      "description": "Aggregates older than this many days are deleted (checked hourly)."},
    "max_queue": {"type": "integer", "minimum": 100, "maximum": 10000000, "default": 100000,
      "description": "Page views waiting for the next flush; beyond it new ones are dropped and counted in portico_insights_hits_total{outcome=\"dropped\"}."},
    "max_values_per_hour": {"type": "integer", "minimum": 10, "maximum": 100000, "default": 500,
      "description": "Distinct values one dimension (page, referrer, UTM field, missing page) keeps per hour; further values are counted as \"(other)\", so made-up referrers or 404 paths cannot fill the store."},
    "exclude_paths": {"type": "array", "items": {"type": "string"}, "default": [],
      "description": "Path prefixes (e.g. \"/preview/\") whose pages are never counted."}
  }
})json";

InsightsConfig readConfig(const nlohmann::json& block) {
    InsightsConfig c;
    sdk::ConfigErrors errors;
    c.flush_seconds = block.at("flush_seconds").get<std::uint32_t>();
    c.retention_days = block.at("retention_days").get<std::uint32_t>();
    c.max_queue = block.at("max_queue").get<std::size_t>();
    c.max_values_per_hour = block.at("max_values_per_hour").get<std::uint32_t>();
    const auto& excluded = block.at("exclude_paths");
    for (std::size_t i = 0; i < excluded.size(); ++i) {
        auto prefix = excluded[i].get<std::string>();
        if (prefix.empty() || prefix.front() != '/') {
            errors.add("exclude_paths[" + std::to_string(i) + "]",
                       "must start with '/', got \"" + prefix + "\"");
        }
        c.exclude_paths.push_back(std::move(prefix));
    }
    errors.throwIfAny();
    return c;
}

}  // namespace portico::plugins::insights
