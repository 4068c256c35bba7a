#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config.hpp"

namespace portico::host {

/// Receives every problem of a config that cannot be used.
using ProblemSink = std::function<void(const std::vector<ConfigProblem>&)>;

/// Prints each problem on its own line to stderr.
void printProblems(const std::vector<ConfigProblem>& problems);

/// The one way a command loads its config: reads `file` and, when the host part has problems,
/// also checks every plugin block against its plugin's schema, so a bad host key does not hide
/// a bad plugin key. On any problem hands them all to `report` and returns nothing.
std::optional<Config> loadConfigOrReport(const std::string& file,
                                         const ProblemSink& report = printProblems);

}  // namespace portico::host
