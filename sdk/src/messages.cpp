#include "portico/sdk/messages.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

namespace portico::sdk {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string_view trimmed(std::string_view text) {
    const auto begin = text.find_first_not_of(" \t");
    if (begin == std::string_view::npos) return {};
    return text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
}

// The q value of one Accept-Language item's parameters ("q=0.8"), 1 when absent.
double qualityOf(std::string_view params) {
    const auto at = params.find("q=");
    if (at == std::string_view::npos) return 1.0;
    return std::strtod(std::string(params.substr(at + 2)).c_str(), nullptr);
}

void flatten(const nlohmann::json& node, const std::string& prefix,
             std::map<std::string, std::string>& texts, std::vector<ConfigIssue>& issues) {
    for (const auto& [key, value] : node.items()) {
        const std::string dotted = prefix.empty() ? key : prefix + "." + key;
        if (value.is_object()) {
            flatten(value, dotted, texts, issues);
        } else if (value.is_string()) {
            texts[dotted] = value.get<std::string>();
        } else {
            issues.push_back({dotted, "\"" + dotted + "\" must be a string"});
        }
    }
}

// Reads one catalog file; nullopt (and an issue) when it is missing or not a JSON object.
std::optional<nlohmann::json> readCatalog(const std::string& path, const std::string& file,
                                          const std::string& locale,
                                          std::vector<ConfigIssue>& issues) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        issues.push_back({"", "catalog for locale \"" + locale + "\" not found", file, 0});
        return std::nullopt;
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    try {
        auto doc = nlohmann::json::parse(text);
        if (doc.is_object()) return doc;
        issues.push_back({"", "must be a JSON object of strings", file, 1});
    } catch (const nlohmann::json::parse_error& e) {
        const std::string what = e.what();
        const auto end = text.begin() + static_cast<long>(std::min(e.byte, text.size()));
        const int line = 1 + static_cast<int>(std::count(text.begin(), end, '\n'));
        issues.push_back({"", "invalid JSON: " + what.substr(what.find(']') + 2), file, line});
    }
    return std::nullopt;
}

}  // namespace

std::string acceptLanguageMatch(std::string_view accept_language,
                                const std::vector<std::string>& locales) {
    std::string best;
    double best_q = 0;
    std::size_t pos = 0;
    while (pos < accept_language.size()) {
        auto end = accept_language.find(',', pos);
        if (end == std::string_view::npos) end = accept_language.size();
        const std::string_view item = accept_language.substr(pos, end - pos);
        pos = end + 1;
        const auto semi = item.find(';');
        const std::string range = lower(trimmed(item.substr(0, semi)));
        const double q = semi == std::string_view::npos ? 1.0 : qualityOf(item.substr(semi));
        for (const auto& locale : locales) {
            const std::string want = lower(locale);
            const bool match =
                range == want || range.rfind(want + "-", 0) == 0 || want.rfind(range + "-", 0) == 0;
            if (match && q > best_q) {
                best = locale;
                best_q = q;
            }
        }
    }
    return best;
}

std::string pickLanguage(std::string_view path, std::string_view accept_language,
                         const std::vector<std::string>& locales, const std::string& fallback) {
    if (path.size() > 1 && path.front() == '/') {
        const auto end = path.find('/', 1);
        const std::string_view segment =
            path.substr(1, end == std::string_view::npos ? end : end - 1);
        for (const auto& locale : locales) {
            if (segment == locale) return locale;
        }
    }
    std::string match = acceptLanguageMatch(accept_language, locales);
    return match.empty() ? fallback : match;
}

Messages::Messages() : Messages("en") {}

Messages::Messages(std::string default_locale) : default_locale_(std::move(default_locale)) {}

std::vector<ConfigIssue> Messages::add(const std::string& locale, const nlohmann::json& catalog) {
    std::vector<ConfigIssue> issues;
    if (!catalog.is_object()) {
        issues.push_back({"", "must be a JSON object of strings"});
        return issues;
    }
    if (!catalogs_.count(locale)) locales_.push_back(locale);
    Catalog& target = catalogs_[locale];
    target.tree.merge_patch(catalog);
    flatten(catalog, "", target.texts, issues);
    return issues;
}

std::vector<ConfigIssue> Messages::load(const std::string& dir, const std::string& shown,
                                        const std::vector<std::string>& locales) {
    std::vector<ConfigIssue> issues;
    std::map<std::string, std::string> files;  // locale -> file as shown, for loaded catalogs
    for (const auto& locale : locales) {
        const std::string file = shown + "/" + locale + ".json";
        auto doc = readCatalog(dir + "/" + locale + ".json", file, locale, issues);
        if (!doc) continue;
        for (auto& issue : add(locale, *doc)) {
            issues.push_back({"", std::move(issue.message), file, 0});
        }
        files[locale] = file;
    }
    std::set<std::pair<std::string, std::string>> reported;  // (file lacking it, key)
    for (const auto& [locale, file] : files) {
        for (const auto& [key, text] : catalogs_.at(locale).texts) {
            for (const auto& [other, other_file] : files) {
                if (other == locale || catalogs_.at(other).texts.count(key)) continue;
                if (!reported.insert({other_file, key}).second) continue;
                issues.push_back({"", "string \"" + key + "\" is missing (it is in " + file + ")",
                                  other_file, 0});
            }
        }
    }
    return issues;
}

const Messages::Catalog* Messages::find(const std::string& locale) const {
    auto it = catalogs_.find(locale);
    return it == catalogs_.end() ? nullptr : &it->second;
}

bool Messages::has(const std::string& locale) const { return find(locale) != nullptr; }

bool Messages::has(const std::string& locale, const std::string& key) const {
    const Catalog* catalog = find(locale);
    return catalog && catalog->texts.count(key);
}

std::string Messages::resolve(const std::string& locale) const {
    if (has(locale)) return locale;
    if (has(default_locale_)) return default_locale_;
    return locales_.empty() ? locale : locales_.front();
}

std::string Messages::text(const std::string& locale, const std::string& key) const {
    auto lookup = [&](const std::string& l) -> const std::string* {
        const Catalog* catalog = find(l);
        if (!catalog) return nullptr;
        auto it = catalog->texts.find(key);
        return it == catalog->texts.end() ? nullptr : &it->second;
    };
    if (const auto* text = lookup(locale)) return *text;
    if (const auto* text = lookup(default_locale_)) return *text;
    for (const auto& l : locales_) {
        if (const auto* text = lookup(l)) return *text;
    }
    return key;
}

std::string Messages::format(const std::string& locale, const std::string& key,
                             const std::vector<std::pair<std::string, std::string>>& args) const {
    const std::string pattern = text(locale, key);
    std::string out;
    out.reserve(pattern.size());
    std::size_t pos = 0;
    while (pos < pattern.size()) {
        const auto open = pattern.find('{', pos);
        const auto close = open == std::string::npos ? open : pattern.find('}', open);
        if (close == std::string::npos) break;
        out.append(pattern, pos, open - pos);
        const std::string name = pattern.substr(open + 1, close - open - 1);
        auto arg =
            std::find_if(args.begin(), args.end(), [&](const auto& a) { return a.first == name; });
        out += arg == args.end() ? pattern.substr(open, close - open + 1) : arg->second;
        pos = close + 1;
    }
    out.append(pattern, std::min(pos, pattern.size()), std::string::npos);
    return out;
}

const std::map<std::string, std::string>& Messages::texts(const std::string& locale) const {
    static const std::map<std::string, std::string> kNone;
    const Catalog* catalog = find(locale);
    return catalog ? catalog->texts : kNone;
}

const nlohmann::json& Messages::catalog(const std::string& locale) const {
    static const nlohmann::json kNone = nlohmann::json::object();
    const Catalog* catalog = find(locale);
    return catalog ? catalog->tree : kNone;
}

}  // namespace portico::sdk
