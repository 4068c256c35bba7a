#include "process_stats.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace portico::plugins::metrics {
namespace {

std::string slurp(const char* path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string number(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

}  // namespace

std::optional<ProcessStats> parseStat(std::string_view stat, long ticks, long page_size,
                                      double boot_time) {
    // The command name (field 2) is in parentheses and may hold spaces; fields after it are
    // counted from the last ')'.
    auto close = stat.rfind(')');
    if (close == std::string_view::npos || ticks <= 0) return std::nullopt;
    std::istringstream rest{std::string(stat.substr(close + 1))};
    std::vector<std::string> fields;  // fields[0] is field 3 (state)
    for (std::string f; rest >> f;) fields.push_back(f);
    if (fields.size() < 22) return std::nullopt;
    try {
        ProcessStats s;
        double utime = std::stod(fields[11]), stime = std::stod(fields[12]);
        s.cpu_seconds = (utime + stime) / static_cast<double>(ticks);
        s.start_time_seconds = boot_time + std::stod(fields[19]) / static_cast<double>(ticks);
        s.virtual_bytes = std::stoull(fields[20]);
        s.resident_bytes = std::stoull(fields[21]) * static_cast<std::uint64_t>(page_size);
        return s;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::optional<double> parseBootTime(std::string_view proc_stat) {
    auto at = proc_stat.find("\nbtime ");
    if (at == std::string_view::npos) return std::nullopt;
    try {
        return std::stod(std::string(proc_stat.substr(at + 7, 24)));
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::optional<ProcessStats> readProcessStats() {
    auto boot = parseBootTime(slurp("/proc/stat"));
    if (!boot) return std::nullopt;
    auto stats =
        parseStat(slurp("/proc/self/stat"), sysconf(_SC_CLK_TCK), sysconf(_SC_PAGESIZE), *boot);
    if (!stats) return std::nullopt;
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
        ++stats->open_fds;
    }
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0) stats->max_fds = limit.rlim_cur;
    return stats;
}

std::string renderProcessStats(const ProcessStats& s) {
    std::string out;
    auto metric = [&](const char* name, const char* type, const char* help, const std::string& v) {
        out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n" +
               name + " " + v + "\n";
    };
    metric("process_cpu_seconds_total", "counter",
           "Total user and system CPU time spent in seconds.", number(s.cpu_seconds));
    metric("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.",
           std::to_string(s.resident_bytes));
    metric("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.",
           std::to_string(s.virtual_bytes));
    metric("process_open_fds", "gauge", "Number of open file descriptors.",
           std::to_string(s.open_fds));
    metric("process_max_fds", "gauge", "Maximum number of open file descriptors.",
           std::to_string(s.max_fds));
    metric("process_start_time_seconds", "gauge",
           "Start time of the process since unix epoch in seconds.", number(s.start_time_seconds));
    return out;
}

}  // namespace portico::plugins::metrics
