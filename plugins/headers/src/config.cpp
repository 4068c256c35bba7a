#include "config.hpp"

#include <algorithm>

#include "portico/sdk/errors.hpp"

namespace portico::plugins::headers {

const char* const kSchema = R"json({
  "type": "object",
  "properties": {
    "profile": {"type": "string", "enum": ["public-site", "strict"], "default": "public-site",
      "description": "base set of security headers: public-site (a site with its own scripts, styles and images) or strict (an API or admin area: default-src 'none', no referrer, cross-origin isolation)"},
    "hsts": {"type": "object", "description": "Strict-Transport-Security",
      "properties": {
        "max_age": {"type": "integer", "minimum": 0, "maximum": 63072000, "default": 31536000,
          "description": "max-age in seconds; 0 leaves the field out"},
        "include_subdomains": {"type": "boolean", "default": false,
          "description": "add includeSubDomains (every subdomain must then speak HTTPS)"},
        "preload": {"type": "boolean", "default": false,
          "description": "add preload (needs include_subdomains and a max_age of at least one year)"}
      }},
    "csp": {"type": "object", "default": {},
      "additionalProperties": {"type": "array", "items": {"type": "string", "minLength": 1}},
      "description": "Content-Security-Policy sources added to the profile's, by directive, e.g. {\"img-src\": [\"https://images.example.com\"]}; [\"'none'\"] replaces a directive. 'unsafe-*' sources are refused: allow an inline script by its 'sha256-...' hash. Plugins add what they need (analytics adds its origin) by putting a Content-Security-Policy on the response, which is merged in."},
    "server": {"type": "string", "default": "",
      "description": "value of the Server field; empty leaves it out"},
    "fields": {"type": "object", "default": {}, "additionalProperties": {"type": "string"},
      "description": "extra response fields by name; an empty value removes a field the profile sets"},
    "paths": {"type": "array", "default": [],
      "description": "per-path overrides; the longest matching prefix wins",
      "items": {"type": "object", "required": ["prefix"],
        "properties": {
          "prefix": {"type": "string", "minLength": 1, "description": "URL path prefix, e.g. /studio/"},
          "profile": {"type": "string", "enum": ["public-site", "strict"],
            "description": "profile for these paths; default: the block's profile"},
          "csp": {"type": "object", "default": {},
            "additionalProperties": {"type": "array", "items": {"type": "string", "minLength": 1}},
            "description": "CSP sources added for these paths, as the block's csp"},
          "fields": {"type": "object", "default": {}, "additionalProperties": {"type": "string"},
            "description": "extra fields for these paths, as the block's fields"}
        }}}
  }
})json";

FieldSet profile(const std::string& name) {
    FieldSet set;
    if (name == "strict") {
        set.csp = Csp::parse(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
            "frame-ancestors 'none'");
        set.fields = {{"X-Content-Type-Options", "nosniff"},
                      {"Referrer-Policy", "no-referrer"},
                      {"Permissions-Policy",
                       "accelerometer=(), camera=(), geolocation=(), gyroscope=(), "
                       "microphone=(), payment=(), usb=()"},
                      {"Cross-Origin-Opener-Policy", "same-origin"},
                      {"Cross-Origin-Resource-Policy", "same-origin"},
                      {"X-Frame-Options", "DENY"}};
        return set;
    }
    set.csp = Csp::parse(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'");
    set.fields = {{"X-Content-Type-Options", "nosniff"},
                  {"Referrer-Policy", "strict-origin-when-cross-origin"},
                  {"Permissions-Policy", "camera=(), geolocation=(), microphone=(), payment=()"},
                  {"Cross-Origin-Opener-Policy", "same-origin"},
                  {"X-Frame-Options", "DENY"}};
    return set;
}

namespace {

void applyCsp(const nlohmann::json& block, const std::string& path, Csp& csp,
              sdk::ConfigErrors& errors) {
    for (const auto& [directive, list] : block.items()) {
        bool name_ok = !directive.empty() &&
                       std::all_of(directive.begin(), directive.end(),
                                   [](char c) { return (c >= 'a' && c <= 'z') || c == '-'; });
        if (!name_ok) {
            errors.add(path,
                       "directive names are lowercase letters and '-', got \"" + directive + "\"");
            continue;
        }
        std::vector<std::string> sources;
        for (std::size_t i = 0; i < list.size(); ++i) {
            auto source = list[i].get<std::string>();
            if (Csp::isUnsafeSource(source)) {
                errors.add(path + "." + directive + "[" + std::to_string(i) + "]",
                           "unsafe sources are not allowed; use a 'sha256-...' hash, got \"" +
                               source + "\"");
            } else if (source.find_first_of(" \t;,") != std::string::npos) {
                errors.add(path + "." + directive + "[" + std::to_string(i) + "]",
                           "one source per item, got \"" + source + "\"");
            }
            sources.push_back(source);
        }
        csp.add(directive, sources);
    }
}

void applyFields(const nlohmann::json& block, FieldSet& set) {
    for (const auto& [name, value] : block.items()) {
        auto it = std::find_if(set.fields.begin(), set.fields.end(),
                               [&](const auto& f) { return f.first == name; });
        if (it == set.fields.end()) {
            set.fields.emplace_back(name, value.get<std::string>());
        } else {
            it->second = value.get<std::string>();
        }
    }
}

}  // namespace

Config readConfig(const nlohmann::json& block) {
    sdk::ConfigErrors errors;
    const std::string base_profile = block.at("profile").get<std::string>();
    const auto& hsts = block.at("hsts");
    const auto max_age = hsts.at("max_age").get<long long>();
    const bool subdomains = hsts.at("include_subdomains").get<bool>();
    const bool preload = hsts.at("preload").get<bool>();
    if (preload && (!subdomains || max_age < 31536000)) {
        errors.add("hsts.preload",
                   "needs include_subdomains and a max_age of at least 31536000, "
                   "got max_age " +
                       std::to_string(max_age));
    }
    std::string hsts_value;
    if (max_age > 0) {
        hsts_value = "max-age=" + std::to_string(max_age) +
                     (subdomains ? "; includeSubDomains" : "") + (preload ? "; preload" : "");
    }
    const std::string server = block.at("server").get<std::string>();

    auto build = [&](const std::string& name, const nlohmann::json& csp,
                     const nlohmann::json& fields, const std::string& path) {
        FieldSet set = profile(name);
        sdk::ConfigErrors reported_once;  // the block's own csp is checked with the defaults
        applyCsp(block.at("csp"), "csp", set.csp, path.empty() ? errors : reported_once);
        if (!path.empty()) applyCsp(csp, path + "csp", set.csp, errors);
        if (!hsts_value.empty()) set.fields.emplace_back("Strict-Transport-Security", hsts_value);
        if (!server.empty()) set.fields.emplace_back("Server", server);
        applyFields(block.at("fields"), set);
        if (!path.empty()) applyFields(fields, set);
        return set;
    };

    Config config;
    config.defaults = build(base_profile, block.at("csp"), block.at("fields"), "");
    const auto& paths = block.at("paths");
    for (std::size_t i = 0; i < paths.size(); ++i) {
        const auto& p = paths[i];
        std::string path = "paths[" + std::to_string(i) + "].";
        std::string prefix = p.at("prefix").get<std::string>();
        if (prefix.front() != '/') {
            errors.add(path + "prefix", "must start with '/', got \"" + prefix + "\"");
        }
        config.paths.push_back(
            {prefix, build(p.value("profile", base_profile), p.at("csp"), p.at("fields"), path)});
    }
    std::stable_sort(
        config.paths.begin(), config.paths.end(),
        [](const PathRule& a, const PathRule& b) { return a.prefix.size() > b.prefix.size(); });
    errors.throwIfAny();
    return config;
}

}  // namespace portico::plugins::headers
