#include "config_report.hpp"

#include <cstdio>

#include "plugin_set.hpp"

namespace portico::host {

void printProblems(const std::vector<ConfigProblem>& problems) {
    for (const auto& p : problems) std::fprintf(stderr, "%s\n", p.str().c_str());
}

std::optional<Config> loadConfigOrReport(const std::string& file, const ProblemSink& report) {
    ConfigRead read = readConfig(file);
    if (read.problems.empty()) return std::move(read.config);
    if (read.plugins_checkable) {
        const PluginSet plugins = loadPlugins(read.config);
        const auto& more = plugins.failures.problems;
        read.problems.insert(read.problems.end(), more.begin(), more.end());
    }
    report(read.problems);
    return std::nullopt;
}

}  // namespace portico::host
