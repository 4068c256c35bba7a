#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace portico::plugins::metrics {

/// Facts about this process from /proc, in the units of the Prometheus process collector.
struct ProcessStats {
    double cpu_seconds = 0;  ///< user + system
    std::uint64_t resident_bytes = 0;
    std::uint64_t virtual_bytes = 0;
    std::uint64_t open_fds = 0;
    std::uint64_t max_fds = 0;
    double start_time_seconds = 0;  ///< since the epoch
};

/// Parses the text of /proc/<pid>/stat: utime, stime, starttime (in `ticks` per second, since
/// `boot_time` seconds after the epoch), vsize and rss (in `page_size` pages). Nullopt when the
/// text is malformed.
std::optional<ProcessStats> parseStat(std::string_view stat, long ticks, long page_size,
                                      double boot_time);

/// The `btime` line of /proc/stat text, or nullopt.
std::optional<double> parseBootTime(std::string_view proc_stat);

/// Reads /proc/self; nullopt where /proc is unavailable.
std::optional<ProcessStats> readProcessStats();

/// The process_* series in Prometheus text format.
std::string renderProcessStats(const ProcessStats& stats);

}  // namespace portico::plugins::metrics
