#include "host_figures.hpp"

#include <cmath>
#include <cstdlib>
#include <limits>
#include <vector>

namespace portico::plugins::console {

namespace {

struct Sample {
    std::string_view name;
    std::map<std::string, std::string, std::less<>> labels;
    double value = 0;
};

// One line `name{a="b",c="d"} value`; false for comments and what it cannot read.
bool parseLine(std::string_view line, Sample& s) {
    if (line.empty() || line.front() == '#') return false;
    const auto name_end = line.find_first_of("{ ");
    if (name_end == std::string_view::npos) return false;
    s.name = line.substr(0, name_end);
    s.labels.clear();
    std::size_t i = name_end;
    if (line[i] == '{') {
        ++i;
        while (i < line.size() && line[i] != '}') {
            const auto eq = line.find('=', i);
            if (eq == std::string_view::npos || eq + 1 >= line.size() || line[eq + 1] != '"') {
                return false;
            }
            std::string key(line.substr(i, eq - i));
            std::string value;
            std::size_t j = eq + 2;
            for (; j < line.size() && line[j] != '"'; ++j) {
                if (line[j] == '\\' && j + 1 < line.size()) ++j;
                value += line[j];
            }
            s.labels[key] = std::move(value);
            i = j + 1;
            if (i < line.size() && line[i] == ',') ++i;
        }
        ++i;
    }
    const std::string number(line.substr(std::min(i, line.size())));
    char* end = nullptr;
    s.value = std::strtod(number.c_str(), &end);
    return end != number.c_str();
}

double bound(const std::string& le) {
    return le == "+Inf" ? std::numeric_limits<double>::infinity()
                        : std::strtod(le.c_str(), nullptr);
}

double quantile(double q, const std::map<double, double>& cumulative) {
    if (cumulative.empty()) return 0;
    const double total = cumulative.rbegin()->second;
    if (total <= 0) return 0;
    const double rank = q * total;
    double lower = 0, below = 0;
    for (const auto& [upper, count] : cumulative) {
        if (count >= rank) {
            if (std::isinf(upper)) return lower;  // beyond the last bound: its value
            const double in_bucket = count - below;
            return in_bucket <= 0 ? upper : lower + (upper - lower) * (rank - below) / in_bucket;
        }
        lower = upper;
        below = count;
    }
    return lower;
}

std::string statusClass(const std::string& status) {
    return status.empty() ? "other" : status.substr(0, 1) + "xx";
}

}  // namespace

HostFigures readHostFigures(std::string_view exposition) {
    HostFigures f;
    std::map<double, double> buckets;  // le -> cumulative count over every series
    Sample s;
    while (!exposition.empty()) {
        const auto nl = exposition.find('\n');
        const auto line = exposition.substr(0, nl);
        exposition.remove_prefix(nl == std::string_view::npos ? exposition.size() : nl + 1);
        if (!parseLine(line, s)) continue;
        const auto count = static_cast<std::uint64_t>(std::llround(s.value));
        if (s.name == "portico_http_requests_total") {
            f.requests += count;
            f.by_status[statusClass(s.labels["status"])] += count;
        } else if (s.name == "portico_http_request_duration_seconds_bucket") {
            buckets[bound(s.labels["le"])] += s.value;
        } else if (s.name == "portico_plugin_hook_seconds_sum") {
            f.hooks[s.labels["plugin"]][s.labels["hook"]].seconds += s.value;
        } else if (s.name == "portico_plugin_hook_seconds_count") {
            f.hooks[s.labels["plugin"]][s.labels["hook"]].calls += count;
        }
    }
    f.p50 = quantile(0.5, buckets);
    f.p90 = quantile(0.9, buckets);
    f.p99 = quantile(0.99, buckets);
    return f;
}

}  // namespace portico::plugins::console
