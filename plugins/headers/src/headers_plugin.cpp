#include "headers_plugin.hpp"

namespace portico::plugins::headers {

void HeadersPlugin::configure(sdk::Context& ctx) {
    config_ = readConfig(ctx.config());
    default_csp_ = std::make_unique<MergedPolicies>(config_.defaults.csp);
    for (const auto& rule : config_.paths) {
        path_csps_.push_back(std::make_unique<MergedPolicies>(rule.set.csp));
    }
    ctx.hooks().addHeaderHook(
        [this](const sdk::Request& req, sdk::Response& res) { apply(req, res); });
}

void HeadersPlugin::apply(const sdk::Request& req, sdk::Response& res) const {
    const FieldSet* set = &config_.defaults;
    const MergedPolicies* csp = default_csp_.get();
    for (std::size_t i = 0; i < config_.paths.size(); ++i) {
        if (req.path.compare(0, config_.paths[i].prefix.size(), config_.paths[i].prefix) == 0) {
            set = &config_.paths[i].set;
            csp = path_csps_[i].get();
            break;
        }
    }
    for (const auto& [name, value] : set->fields) {
        if (value.empty()) {
            res.headers.remove(name);
        } else {
            res.headers.set(name, value);
        }
    }
    if (const std::string* existing = res.headers.find("Content-Security-Policy")) {
        res.headers.set("Content-Security-Policy", csp->merged(*existing));
    } else {
        res.headers.set("Content-Security-Policy", csp->alone());
    }
}

}  // namespace portico::plugins::headers
