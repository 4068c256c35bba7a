#include "portico/sdk/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace portico::sdk::metrics {

namespace {

bool validMetricName(const std::string& name) {
    if (name.empty()) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
        const bool digit = c >= '0' && c <= '9';
        if (!alpha && !(digit && i > 0)) return false;
    }
    return true;
}

bool validLabelName(const std::string& name) {
    if (name.empty() || name.rfind("__", 0) == 0) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        const bool digit = c >= '0' && c <= '9';
        if (!alpha && !(digit && i > 0)) return false;
    }
    return true;
}

void checkLabels(const std::string& metric, const Labels& labels, bool histogram) {
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const std::string& name = labels[i].first;
        if (!validLabelName(name)) {
            throw std::invalid_argument("metric " + metric + ": invalid label name \"" + name +
                                        "\"");
        }
        if (histogram && name == "le") {
            throw std::invalid_argument("metric " + metric +
                                        ": label \"le\" is reserved for histogram buckets");
        }
        for (std::size_t j = 0; j < i; ++j) {
            if (labels[j].first == name) {
                throw std::invalid_argument("metric " + metric + ": duplicate label \"" + name +
                                            "\"");
            }
        }
    }
}

// Prometheus wants Go-style floats: shortest round-trip form, "+Inf", "-Inf", "NaN".
std::string formatDouble(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    char buf[64];
    const auto result = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, result.ptr);
}

std::string escapeLabelValue(const std::string& value) {
    std::string out;
    out.reserve(value.size());
    for (const char c : value) {
        switch (c) {
            case '\\':
                out += "\\\\";
                break;
            case '"':
                out += "\\\"";
                break;
            case '\n':
                out += "\\n";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string escapeHelp(const std::string& help) {
    std::string out;
    out.reserve(help.size());
    for (const char c : help) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

// `{a="1",b="2"}`, with an optional extra label appended (the histogram's `le`).
std::string renderLabels(const Labels& labels, const std::string& extra_name = {},
                         const std::string& extra_value = {}) {
    if (labels.empty() && extra_name.empty()) return {};
    std::string out = "{";
    bool first = true;
    for (const auto& [name, value] : labels) {
        if (!first) out += ',';
        first = false;
        out += name + "=\"" + escapeLabelValue(value) + "\"";
    }
    if (!extra_name.empty()) {
        if (!first) out += ',';
        out += extra_name + "=\"" + escapeLabelValue(extra_value) + "\"";
    }
    out += '}';
    return out;
}

void atomicAdd(std::atomic<double>& target, double by) noexcept {
    double current = target.load(std::memory_order_relaxed);
    while (!target.compare_exchange_weak(current, current + by, std::memory_order_relaxed)) {
    }
}

}  // namespace

void Gauge::add(double by) noexcept { atomicAdd(value_, by); }

Histogram::Histogram(std::vector<double> bounds) : bounds_(std::move(bounds)) {
    for (std::size_t i = 0; i < bounds_.size(); ++i) {
        if (std::isnan(bounds_[i]) || (i > 0 && !(bounds_[i - 1] < bounds_[i]))) {
            throw std::invalid_argument("histogram bounds must be strictly ascending numbers");
        }
    }
    // A trailing +Inf bound is implied; drop an explicit one so it is not rendered twice.
    if (!bounds_.empty() && std::isinf(bounds_.back()) && bounds_.back() > 0) bounds_.pop_back();
    counts_ = std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1);
    for (std::size_t i = 0; i <= bounds_.size(); ++i) counts_[i].store(0);
}

void Histogram::observe(double v) noexcept {
    const auto it = std::lower_bound(bounds_.begin(), bounds_.end(), v);
    const auto index = static_cast<std::size_t>(it - bounds_.begin());
    counts_[index].fetch_add(1, std::memory_order_relaxed);
    atomicAdd(sum_, v);
}

void Histogram::snapshot(std::vector<std::uint64_t>& cumulative, double& sum) const {
    cumulative.assign(bounds_.size() + 1, 0);
    std::uint64_t running = 0;
    for (std::size_t i = 0; i <= bounds_.size(); ++i) {
        running += counts_[i].load(std::memory_order_relaxed);
        cumulative[i] = running;
    }
    sum = sum_.load(std::memory_order_relaxed);
}

struct Registry::Family {
    std::string name;
    std::string help;
    std::string type;
    std::vector<double> bounds;  // histograms only; every series of a family shares them
    std::map<Labels, std::unique_ptr<Counter>> counters;
    std::map<Labels, std::unique_ptr<Gauge>> gauges;
    std::map<Labels, std::unique_ptr<Histogram>> histograms;
};

Registry::Family& Registry::family(const std::string& name, const std::string& help,
                                   const char* type) {
    if (!validMetricName(name)) {
        throw std::invalid_argument("invalid metric name \"" + name + "\"");
    }
    auto it = families_.find(name);
    if (it == families_.end()) {
        auto created = std::make_shared<Family>();
        created->name = name;
        created->help = help;
        created->type = type;
        it = families_.emplace(name, std::move(created)).first;
    } else if (it->second->type != type) {
        throw std::invalid_argument("metric " + name + ": already registered as a " +
                                    it->second->type + ", not a " + type);
    }
    return *it->second;
}

Counter& Registry::counter(const std::string& name, const std::string& help, const Labels& labels) {
    checkLabels(name, labels, false);
    std::lock_guard<std::mutex> lock(mutex_);
    auto& slot = family(name, help, "counter").counters[labels];
    if (!slot) slot = std::make_unique<Counter>();
    return *slot;
}

Gauge& Registry::gauge(const std::string& name, const std::string& help, const Labels& labels) {
    checkLabels(name, labels, false);
    std::lock_guard<std::mutex> lock(mutex_);
    auto& slot = family(name, help, "gauge").gauges[labels];
    if (!slot) slot = std::make_unique<Gauge>();
    return *slot;
}

Histogram& Registry::histogram(const std::string& name, const std::string& help,
                               const std::vector<double>& bounds, const Labels& labels) {
    checkLabels(name, labels, true);
    auto fresh = std::make_unique<Histogram>(bounds);  // validates the bounds outside the lock
    std::lock_guard<std::mutex> lock(mutex_);
    Family& fam = family(name, help, "histogram");
    if (fam.histograms.empty()) {
        fam.bounds = fresh->bounds();
    } else if (fam.bounds != fresh->bounds()) {
        throw std::invalid_argument("metric " + name +
                                    ": registered again with different bucket bounds");
    }
    auto& slot = fam.histograms[labels];
    if (!slot) slot = std::move(fresh);
    return *slot;
}

std::string Registry::renderPrometheus() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string out;
    std::vector<std::uint64_t> cumulative;
    for (const auto& [name, fam] : families_) {
        out += "# HELP " + name + " " + escapeHelp(fam->help) + "\n";
        out += "# TYPE " + name + " " + fam->type + "\n";
        for (const auto& [labels, c] : fam->counters) {
            out += name + renderLabels(labels) + " " + std::to_string(c->value()) + "\n";
        }
        for (const auto& [labels, g] : fam->gauges) {
            out += name + renderLabels(labels) + " " + formatDouble(g->value()) + "\n";
        }
        for (const auto& [labels, h] : fam->histograms) {
            double sum = 0.0;
            h->snapshot(cumulative, sum);
            const auto& bounds = h->bounds();
            for (std::size_t i = 0; i < bounds.size(); ++i) {
                out += name + "_bucket" + renderLabels(labels, "le", formatDouble(bounds[i])) +
                       " " + std::to_string(cumulative[i]) + "\n";
            }
            out += name + "_bucket" + renderLabels(labels, "le", "+Inf") + " " +
                   std::to_string(cumulative.back()) + "\n";
            out += name + "_sum" + renderLabels(labels) + " " + formatDouble(sum) + "\n";
            out += name + "_count" + renderLabels(labels) + " " +
                   std::to_string(cumulative.back()) + "\n";
        }
    }
    return out;
}

}  // namespace portico::sdk::metrics
