#pragma once

#include <string>
#include <vector>

#include "insights_store.hpp"
#include "portico/sdk/command.hpp"

namespace portico::plugins::insights {

extern const char* const kCommandUsage;

/// The figures as CSV (RFC 4180, formula-safe) or as a JSON array.
std::string renderCsv(const std::vector<FigureRow>& rows);
std::string renderJson(const std::vector<FigureRow>& rows);

/// `portico insights export [--from DAY] [--to DAY] [--format csv|json] [--out FILE]`.
/// `today` is "YYYY-MM-DD" (UTC). Returns the exit status.
int runExportCommand(InsightsStore& store, const std::string& today, sdk::CommandContext& cmd);

}  // namespace portico::plugins::insights
