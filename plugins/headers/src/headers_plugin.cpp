#include "headers_plugin.hpp"

namespace portico::plugins::headers {

void HeadersPlugin::configure(sdk::Context& ctx) {
    config_ = readConfig(ctx.config());
    default_csp_ = config_.defaults.csp.str();
    for (const auto& rule : config_.paths) path_csps_.push_back(rule.set.csp.str());
    ctx.hooks().addHeaderHook(
        [this](const sdk::Request& req, sdk::Response& res) { apply(req, res); });
}

void HeadersPlugin::apply(const sdk::Request& req, sdk::Response& res) const {
    const FieldSet* set = &config_.defaults;
    const std::string* csp = &default_csp_;
    for (std::size_t i = 0; i < config_.paths.size(); ++i) {
        if (req.path.compare(0, config_.paths[i].prefix.size(), config_.paths[i].prefix) == 0) {
            set = &config_.paths[i].set;
            csp = &path_csps_[i];
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
    if (auto existing = res.headers.get("Content-Security-Policy")) {
        Csp merged = set->csp;  // only responses that carry a contribution pay for this
        merged.merge(Csp::parse(*existing));
        res.headers.set("Content-Security-Policy", merged.str());
    } else {
        res.headers.set("Content-Security-Policy", *csp);
    }
}

}  // namespace portico::plugins::headers
