#include "templates.hpp"

#include <filesystem>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <sstream>

namespace fs = std::filesystem;
namespace mustache = kainjow::mustache;

namespace portico::plugins::pages {
namespace {

mustache::data toData(const nlohmann::json& value) {
    switch (value.type()) {
        case nlohmann::json::value_t::object: {
            mustache::data out{mustache::data::type::object};
            for (const auto& [k, v] : value.items()) out.set(k, toData(v));
            return out;
        }
        case nlohmann::json::value_t::array: {
            mustache::data out{mustache::data::type::list};
            for (const auto& v : value) out.push_back(toData(v));
            return out;
        }
        case nlohmann::json::value_t::string:
            // An empty string is falsy, so {{#canonical}}...{{/canonical}} can test for it.
            if (value.get<std::string>().empty()) return mustache::data{false};
            return mustache::data{value.get<std::string>()};
        case nlohmann::json::value_t::boolean:
            return mustache::data{value.get<bool>()};
        case nlohmann::json::value_t::null:
            return mustache::data{false};
        default:
            return mustache::data{value.dump()};
    }
}

std::map<std::string, std::string> readFolder(const fs::path& dir, const std::string& shown,
                                              Issues& issues) {
    std::map<std::string, std::string> out;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return out;
    for (const auto& item : fs::directory_iterator(dir)) {
        if (!item.is_regular_file() || item.path().extension() != ".mustache") continue;
        std::ifstream in(item.path(), std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        std::string name = item.path().stem().string();
        mustache::mustache check{text.str()};
        if (!check.is_valid()) {
            issues.push_back({shown + "/" + item.path().filename().string(), 0,
                              "template: " + check.error_message()});
        }
        out[name] = text.str();
    }
    return out;
}

}  // namespace

void Templates::load(const std::string& dir, const std::string& shown, Issues& issues) {
    shown_ = shown;
    layouts_ = readFolder(fs::path(dir) / "layouts", shown + "/layouts", issues);
    partials_ = readFolder(fs::path(dir) / "partials", shown + "/partials", issues);
    if (layouts_.empty()) issues.push_back({shown + "/layouts", 0, "no layouts found"});
}

std::string Templates::render(const std::string& name, const nlohmann::json& data,
                              const Helpers& helpers, Issues& issues) const {
    auto it = layouts_.find(name);
    if (it == layouts_.end()) return {};
    mustache::data view = toData(data);
    for (const auto& [partial, text] : partials_) view.set(partial, mustache::data{text});
    view.set("url", mustache::lambda{[&](const std::string& key) { return helpers.url(key); }});
    view.set("asset",
             mustache::lambda{[&](const std::string& path) { return helpers.asset(path); }});
    mustache::mustache tmpl{it->second};
    std::string out = tmpl.render(view);
    if (!tmpl.is_valid()) {
        issues.push_back({layoutFile(name), 0, "template: " + tmpl.error_message()});
    }
    return out;
}

std::string Templates::renderPartial(const std::string& name, const nlohmann::json& data,
                                     Issues& issues) const {
    auto it = partials_.find(name);
    if (it == partials_.end()) return {};
    mustache::data view = toData(data);
    for (const auto& [partial, text] : partials_) view.set(partial, mustache::data{text});
    mustache::mustache tmpl{it->second};
    std::string out = tmpl.render(view);
    if (!tmpl.is_valid()) {
        issues.push_back({partialFile(name), 0, "template: " + tmpl.error_message()});
    }
    return out;
}

}  // namespace portico::plugins::pages
