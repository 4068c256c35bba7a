#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "aggregate.hpp"
#include "portico/sdk/data.hpp"

namespace portico::plugins::insights {

/// The plugin's tables, versioned.
std::vector<sdk::Migration> migrations();

/// One exported figure: an hourly count ("2026-12-03T14", "page", "/en/", 3) or a day's unique
/// visitors ("2026-12-03", "visitors", "", 2).
struct FigureRow {
    std::string period;
    std::string dimension;
    std::string value;
    std::int64_t count = 0;
};

/// Reads and writes the aggregates. Every method takes its own session; any thread; throws
/// Poco::Exception when the store cannot be reached.
class InsightsStore {
public:
    explicit InsightsStore(sdk::DataStore& data) : data_(data) {}

    /// The salt of `day`: `candidate` when this call stores the first one, else the one
    /// stored (by this or another replica), so every replica hashes a visitor alike.
    std::string saltFor(const std::string& day, const std::string& candidate);
    /// Adds a batch's counts and visitor hashes in one transaction.
    void write(const Batch& batch);
    /// Days before `today`: their visitor count goes to insights_daily, their hashes and salts
    /// are deleted. Returns the number of hashes deleted.
    std::size_t rollover(const std::string& today);
    /// Deletes hourly and daily figures of days before `day`; returns the rows deleted.
    std::size_t deleteBefore(const std::string& day);
    /// Hourly counts and daily visitors of the days `from`..`to` (inclusive, "YYYY-MM-DD"),
    /// today's visitors counted from its hashes; ordered by period, dimension, value.
    std::vector<FigureRow> figures(const std::string& from, const std::string& to);

private:
    sdk::DataStore& data_;
};

}  // namespace portico::plugins::insights
