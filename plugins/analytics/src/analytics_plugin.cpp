#include "analytics_plugin.hpp"

#include <algorithm>

namespace portico::plugins::analytics {

const char* const kSchema = R"json({
  "type": "object",
  "properties": {
    "provider": {"type": "string", "enum": ["umami", "plausible"], "default": "umami",
      "description": "analytics service: umami (needs website_id) or plausible (needs domain)"},
    "script_url": {"type": "string", "default": "",
      "description": "absolute http(s) URL of the tracker script, e.g. https://stats.example.com/script.js; default for plausible: https://plausible.io/js/script.js"},
    "website_id": {"type": "string", "default": "", "description": "Umami's website id (a UUID)"},
    "domain": {"type": "string", "default": "",
      "description": "Plausible's site domain (data-domain); default: the first of domains"},
    "domains": {"type": "array", "items": {"type": "string", "minLength": 1}, "default": [],
      "description": "hosts the site is tracked on; the script is inserted only when one of them is among site.hosts (or the host of site.base_url), so a development site on localhost is not tracked; Umami also gets them as data-domains"},
    "do_not_track": {"type": "boolean", "default": true,
      "description": "Umami: honour the browser's Do Not Track setting (data-do-not-track)"},
    "force": {"type": "boolean", "default": false,
      "description": "insert the script even when no domain matches the site's hosts"}
  }
})json";

namespace {

std::string hostOf(const std::string& base_url) {
    auto start = base_url.find("://");
    if (start == std::string::npos) return "";
    start += 3;
    auto end = base_url.find_first_of(":/", start);
    return base_url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace

void AnalyticsPlugin::configure(sdk::Context& ctx) {
    const auto& c = ctx.config();
    settings_.provider = c.at("provider").get<std::string>();
    settings_.script_url = c.at("script_url").get<std::string>();
    settings_.website_id = c.at("website_id").get<std::string>();
    settings_.domain = c.at("domain").get<std::string>();
    settings_.domains = c.at("domains").get<std::vector<std::string>>();
    settings_.do_not_track = c.at("do_not_track").get<bool>();
    const bool plausible = settings_.provider == "plausible";
    for (auto& d : settings_.domains) {
        std::transform(d.begin(), d.end(), d.begin(),
                       [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    }
    if (plausible && settings_.script_url.empty()) {
        settings_.script_url = "https://plausible.io/js/script.js";
    }
    if (plausible && settings_.domain.empty() && !settings_.domains.empty()) {
        settings_.domain = settings_.domains.front();
    }

    sdk::ConfigErrors errors;
    origin_ = originOf(settings_.script_url);
    if (origin_.empty()) {
        errors.add("script_url",
                   "must be an absolute http(s) URL, got \"" + settings_.script_url + "\"");
    }
    if (!plausible && settings_.website_id.empty()) {
        errors.add("website_id", "is required for provider \"umami\"");
    }
    if (plausible && settings_.domain.empty()) {
        errors.add("domain", "is required for provider \"plausible\" (or give domains)");
    }
    errors.throwIfAny();
    tag_ = scriptTag(settings_);

    std::vector<std::string> hosts = ctx.site().hosts;
    hosts.push_back(hostOf(ctx.site().base_url));
    active_ = c.at("force").get<bool>() ||
              std::any_of(settings_.domains.begin(), settings_.domains.end(), [&](const auto& d) {
                  return std::find(hosts.begin(), hosts.end(), d) != hosts.end();
              });
    if (!active_) return;
    // What the privacy page says about the third-party script (SiteModel::publishFacts).
    ctx.siteModel().publishFacts("analytics", {{"provider", settings_.provider},
                                               {"origin", origin_},
                                               {"do_not_track", settings_.do_not_track}});
    ctx.hooks().addHtmlTransform([this](std::string html, const sdk::TransformInfo&) {
        return inject(std::move(html), tag_, settings_.script_url);
    });
    ctx.hooks().addHeaderHook([this](const sdk::Request&, sdk::Response& res) {
        if (res.status != 200) return;
        const std::string* type =
            res.resource ? &res.resource->content_type : res.headers.find("Content-Type");
        if (!type || type->compare(0, 9, "text/html") != 0) return;
        const std::string* found = res.headers.find("Content-Security-Policy");
        const std::string_view policy = found ? std::string_view(*found) : std::string_view();
        // The policies a site sends are few (one per path override): each is amended once.
        res.headers.set("Content-Security-Policy",
                        amended_.get(policy, [this](std::string_view text) {
                            return amendCsp(std::string(text), origin_);
                        }));
    });
}

void AnalyticsPlugin::start(sdk::Context& ctx) {
    if (active_) {
        ctx.logger()->info("{} script from {} inserted into HTML pages", settings_.provider,
                           origin_);
    } else {
        ctx.logger()->info(
            "no host of the site is in domains; pages are not tracked "
            "(set force to track anyway)");
    }
}

}  // namespace portico::plugins::analytics
