#include "svg.hpp"

#include <algorithm>
#include <cstdio>

#include "portico/sdk/http.hpp"

namespace portico::plugins::console::svg {

namespace {

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

std::string open(int width, int height, const std::string& label) {
    return "<svg class=\"chart\" viewBox=\"0 0 " + std::to_string(width) + " " +
           std::to_string(height) + "\" role=\"img\" aria-label=\"" + sdk::escapeHtml(label) +
           "\"><title>" + sdk::escapeHtml(label) + "</title>";
}

}  // namespace

std::string dailyChart(const std::vector<Day>& days, const std::string& label) {
    constexpr int kWidth = 720, kHeight = 200, kTop = 16, kBottom = 180;
    std::int64_t max = 1;
    for (const auto& d : days) max = std::max({max, d.views, d.visitors});
    std::string out = open(kWidth, kHeight, label);
    out += "<line class=\"axis\" x1=\"0\" y1=\"" + std::to_string(kBottom) + "\" x2=\"" +
           std::to_string(kWidth) + "\" y2=\"" + std::to_string(kBottom) + "\"/>";
    const double step = days.empty() ? 0 : static_cast<double>(kWidth) / days.size();
    const double scale = static_cast<double>(kBottom - kTop) / max;
    for (std::size_t i = 0; i < days.size(); ++i) {
        const double x = step * i;
        const double views = days[i].views * scale, visitors = days[i].visitors * scale;
        out += "<rect class=\"views\" x=\"" + num(x + step * 0.1) + "\" y=\"" +
               num(kBottom - views) + "\" width=\"" + num(step * 0.8) + "\" height=\"" +
               num(views) + "\"/>";
        out += "<rect class=\"visitors\" x=\"" + num(x + step * 0.3) + "\" y=\"" +
               num(kBottom - visitors) + "\" width=\"" + num(step * 0.4) + "\" height=\"" +
               num(visitors) + "\"/>";
    }
    out += "<text x=\"0\" y=\"12\">" + std::to_string(max) + "</text>";
    if (!days.empty()) {
        out += "<text x=\"0\" y=\"196\">" + sdk::escapeHtml(days.front().day) + "</text>";
        out += "<text x=\"720\" y=\"196\" text-anchor=\"end\">" + sdk::escapeHtml(days.back().day) +
               "</text>";
    }
    return out + "</svg>";
}

std::string bar(std::int64_t value, std::int64_t max) {
    const double width = max > 0 ? 100.0 * value / max : 0;
    return "<svg class=\"bar\" viewBox=\"0 0 100 8\" aria-hidden=\"true\"><rect width=\"" +
           num(width) + "\" height=\"8\"/></svg>";
}

std::string statusChart(const std::map<std::string, std::uint64_t>& by_status,
                        const std::string& label) {
    std::uint64_t total = 0;
    for (const auto& [cls, n] : by_status) total += n;
    std::string out = open(400, 24, label);
    double x = 0;
    for (const char* cls : {"2xx", "3xx", "4xx", "5xx"}) {
        auto it = by_status.find(cls);
        if (it == by_status.end() || total == 0) continue;
        const double w = 400.0 * it->second / total;
        out += "<rect class=\"s" + std::string(1, cls[0]) + "\" x=\"" + num(x) +
               "\" y=\"0\" width=\"" + num(w) + "\" height=\"24\"/>";
        x += w;
    }
    return out + "</svg>";
}

std::string rateChart(const std::vector<double>& per_minute, const std::string& label) {
    constexpr int kWidth = 400, kHeight = 80;
    double max = 1;
    for (double v : per_minute) max = std::max(max, v);
    std::string out = open(kWidth, kHeight, label);
    out += "<line class=\"axis\" x1=\"0\" y1=\"79\" x2=\"400\" y2=\"79\"/>";
    if (per_minute.size() > 1) {
        std::string points;
        const double step = static_cast<double>(kWidth) / (per_minute.size() - 1);
        for (std::size_t i = 0; i < per_minute.size(); ++i) {
            points += num(step * i) + "," + num(78 - 62 * per_minute[i] / max) + " ";
        }
        points.pop_back();
        out += "<polyline class=\"rate\" points=\"" + points + "\"/>";
    }
    out += "<text x=\"0\" y=\"12\">" + num(max) + "/min</text>";
    return out + "</svg>";
}

}  // namespace portico::plugins::console::svg
