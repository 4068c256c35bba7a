#include "locales.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace portico::plugins::pages {
namespace {

void collect(const nlohmann::json& node, const std::string& prefix, std::set<std::string>& out) {
    if (node.is_object()) {
        for (const auto& [k, v] : node.items()) {
            collect(v, prefix.empty() ? k : prefix + "." + k, out);
        }
    } else {
        out.insert(prefix);
    }
}

}  // namespace

std::set<std::string> stringKeys(const nlohmann::json& strings) {
    std::set<std::string> keys;
    collect(strings, "", keys);
    return keys;
}

const nlohmann::json* lookupString(const nlohmann::json& strings, const std::string& dotted) {
    const nlohmann::json* node = &strings;
    std::istringstream parts(dotted);
    for (std::string part; std::getline(parts, part, '.');) {
        if (!node->is_object() || !node->contains(part)) return nullptr;
        node = &(*node)[part];
    }
    return node->is_string() ? node : nullptr;
}

void crossCheck(const std::map<std::string, nlohmann::json>& catalogs,
                const std::map<std::string, std::string>& files, Issues& issues) {
    std::map<std::string, std::set<std::string>> keys;
    for (const auto& [locale, strings] : catalogs) keys[locale] = stringKeys(strings);
    for (const auto& [locale, strings] : catalogs) {
        for (const auto& key : keys[locale]) {
            if (!lookupString(strings, key)) {
                issues.push_back({files.at(locale), 0, "\"" + key + "\" must be a string"});
            }
            for (const auto& [other, other_keys] : keys) {
                if (other != locale && !other_keys.count(key)) {
                    issues.push_back(
                        {files.at(other), 0,
                         "string \"" + key + "\" is missing (it is in " + files.at(locale) + ")"});
                }
            }
        }
    }
}

std::map<std::string, nlohmann::json> loadLocales(const std::string& dir, const std::string& shown,
                                                  const std::vector<std::string>& locales,
                                                  Issues& issues) {
    std::map<std::string, nlohmann::json> catalogs;
    std::map<std::string, std::string> files;
    for (const auto& locale : locales) {
        std::string file = shown + "/" + locale + ".json";
        std::ifstream in(dir + "/" + locale + ".json", std::ios::binary);
        if (!in) {
            issues.push_back(
                {file, 0, "interface strings for locale \"" + locale + "\" not found"});
            continue;
        }
        std::ostringstream buffer;
        buffer << in.rdbuf();
        const std::string text = buffer.str();
        try {
            auto strings = nlohmann::json::parse(text);
            if (!strings.is_object()) {
                issues.push_back({file, 1, "must be a JSON object of strings"});
                continue;
            }
            catalogs[locale] = std::move(strings);
            files[locale] = file;
        } catch (const nlohmann::json::parse_error& e) {
            std::string what = e.what();
            auto colon = what.find("]");
            auto end = text.begin() + static_cast<long>(std::min(e.byte, text.size()));
            int line = 1 + static_cast<int>(std::count(text.begin(), end, '\n'));
            issues.push_back({file, line, "invalid JSON: " + what.substr(colon + 2)});
        }
    }
    crossCheck(catalogs, files, issues);
    return catalogs;
}

}  // namespace portico::plugins::pages
