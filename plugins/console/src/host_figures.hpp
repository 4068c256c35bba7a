#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace portico::plugins::console {

/// Mean time per call of one plugin's hooks of one kind.
struct HookTime {
    std::uint64_t calls = 0;
    double seconds = 0;  ///< total
};

/// What the console shows of the host's own metrics, read from the Prometheus exposition the
/// metrics plugin serves (so the figures are the ones Prometheus scrapes).
struct HostFigures {
    std::uint64_t requests = 0;                      ///< portico_http_requests_total, summed
    std::map<std::string, std::uint64_t> by_status;  ///< "2xx" ... "5xx"
    double p50 = 0, p90 = 0, p99 = 0;                ///< seconds; 0 without requests
    std::map<std::string, std::map<std::string, HookTime>> hooks;  ///< plugin -> kind -> time
};

/// Reads the figures from Prometheus text exposition format 0.0.4. Lines it does not know are
/// skipped. Percentiles are interpolated linearly inside the histogram bucket that holds them,
/// as Prometheus' histogram_quantile does. Pure.
HostFigures readHostFigures(std::string_view exposition);

}  // namespace portico::plugins::console
