#include "front_matter.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "portico/sdk/schema.hpp"
#include "text.hpp"

namespace portico::plugins::pages {
namespace {

const std::vector<std::string> kKeys = {"key",    "title", "description", "slug",
                                        "date",   "draft", "noindex",     "layout",
                                        "weight", "tags",  "toc",         "params"};

nlohmann::json toJson(const YAML::Node& node) {
    if (node.IsMap()) {
        auto out = nlohmann::json::object();
        for (const auto& kv : node) out[kv.first.as<std::string>()] = toJson(kv.second);
        return out;
    }
    if (node.IsSequence()) {
        auto out = nlohmann::json::array();
        for (const auto& item : node) out.push_back(toJson(item));
        return out;
    }
    if (node.IsScalar()) return node.as<std::string>();
    return nullptr;
}

}  // namespace

bool validSlug(const std::string& slug) {
    if (slug.empty() || slug.front() == '/' || slug.back() == '/') return false;
    char prev = '/';
    for (char c : slug) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '/';
        if (!ok || (c == '/' && prev == '/')) return false;
        prev = c;
    }
    return true;
}

bool validDate(const std::string& date) {
    if (date.size() != 10 || date[4] != '-' || date[7] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
        if (date[i] < '0' || date[i] > '9') return false;
    }
    int year = std::stoi(date.substr(0, 4));
    int month = std::stoi(date.substr(5, 2));
    int day = std::stoi(date.substr(8, 2));
    static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1]) return false;
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return !(month == 2 && day == 29 && !leap);
}

namespace {

// Splits a fenced front matter ("---" lines) from the body: the YAML text into `yaml`, the body
// and its first line into `out`. False (with an issue) when the fence is not closed.
bool splitFence(const std::string& text, const std::string& file, Issues& issues, SourceText& out,
                std::string& yaml) {
    const bool fenced = text.rfind("---\n", 0) == 0 || text.rfind("---\r\n", 0) == 0;
    if (!fenced) {
        out.body = text;
        return true;
    }
    std::size_t pos = text.find('\n') + 1;
    int line = 2;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        std::string row =
            text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        if (!row.empty() && row.back() == '\r') row.pop_back();
        if (row == "---") {
            out.body = end == std::string::npos ? "" : text.substr(end + 1);
            out.body_line = line + 1;
            return true;
        }
        yaml += row + "\n";
        ++line;
        if (end == std::string::npos) break;
        pos = end + 1;
    }
    issues.push_back({file, 1, "front matter: no closing \"---\""});
    return false;
}

// The front matter as a YAML map (empty when there is none); false (with an issue) otherwise.
bool loadMap(const std::string& yaml, const std::string& file, Issues& issues, YAML::Node& root) {
    try {
        root = YAML::Load(yaml);
    } catch (const YAML::Exception& e) {
        issues.push_back({file, e.mark.line >= 0 ? e.mark.line + 2 : 1, "front matter: " + e.msg});
        return false;
    }
    if (root.IsNull() || !root.IsDefined()) root = YAML::Node(YAML::NodeType::Map);
    if (!root.IsMap()) {
        issues.push_back({file, 2, "front matter: must be a map of keys"});
        return false;
    }
    return true;
}

// A list of tag names, each with letters or digits (its slug is its id across locales).
template <typename Problem>
void readTags(const YAML::Node& value, const Problem& problem, std::vector<std::string>& tags) {
    if (!value.IsSequence()) {
        problem("must be a list of tag names");
        return;
    }
    for (const auto& item : value) {
        std::string name = item.IsScalar() ? item.as<std::string>() : "";
        if (slugify(name).empty()) {
            problem("each tag must be a name with letters or digits, got \"" +
                    (item.IsScalar() ? name : YAML::Dump(item)) + "\"");
            continue;
        }
        if (std::find(tags.begin(), tags.end(), name) == tags.end()) tags.push_back(name);
    }
}

// Reads one front-matter key into `m`, with an issue for a bad value or an unknown key.
void readKey(const std::string& key, const YAML::Node& value, int line, const std::string& file,
             Issues& issues, PageMeta& m, bool& has_title, bool& has_description) {
    auto problem = [&](const std::string& message) {
        issues.push_back({file, line, key + ": " + message});
    };
    auto scalar = [&](std::string& into) {
        if (!value.IsScalar()) {
            problem("must be a string");
            return false;
        }
        into = value.as<std::string>();
        return true;
    };
    auto boolean = [&](bool& into) {
        bool b = false;
        if (!value.IsScalar() || !YAML::convert<bool>::decode(value, b)) {
            problem("must be true or false, got \"" + YAML::Dump(value) + "\"");
            return;
        }
        into = b;
    };
    if (key == "key") {
        if (scalar(m.key) && (m.key.empty() || m.key.front() == '/' || m.key.back() == '/')) {
            problem("must not be empty or start or end with '/', got \"" + m.key + "\"");
        }
    } else if (key == "title") {
        has_title = scalar(m.title) && !m.title.empty();
    } else if (key == "description") {
        has_description = scalar(m.description) && !m.description.empty();
    } else if (key == "slug") {
        if (scalar(m.slug)) {
            m.has_slug = true;
            if (!m.slug.empty() && !validSlug(m.slug)) {
                problem("must be lowercase letters, digits, '-' and inner '/', got \"" + m.slug +
                        "\"");
            }
        }
    } else if (key == "date") {
        if (scalar(m.date) && !validDate(m.date)) {
            problem("must be a date written YYYY-MM-DD, got \"" + m.date + "\"");
        }
    } else if (key == "draft") {
        boolean(m.draft);
    } else if (key == "noindex") {
        boolean(m.noindex);
    } else if (key == "layout") {
        if (scalar(m.layout) && !validSlug(m.layout)) {
            problem("must name a template in templates/layouts, got \"" + m.layout + "\"");
        }
    } else if (key == "weight") {
        if (!value.IsScalar() || !YAML::convert<int>::decode(value, m.weight)) {
            problem("must be an integer, got \"" + YAML::Dump(value) + "\"");
        }
    } else if (key == "tags") {
        readTags(value, problem, m.tags);
    } else if (key == "toc") {
        boolean(m.toc);
    } else if (key == "params") {
        if (!value.IsMap()) {
            problem("must be a map");
        } else {
            m.params = toJson(value);
        }
    } else {
        std::string hint = sdk::closestMatch(key, kKeys);
        issues.push_back({file, line,
                          "unknown front-matter key \"" + key + "\"" +
                              (hint.empty() ? "" : "; did you mean \"" + hint + "\"?")});
    }
}

}  // namespace

SourceText parseSource(const std::string& text, const std::string& file, Issues& issues) {
    SourceText out;
    std::string yaml;
    YAML::Node root;
    if (!splitFence(text, file, issues, out, yaml) || !loadMap(yaml, file, issues, root)) {
        return out;
    }
    bool has_title = false, has_description = false;
    for (const auto& kv : root) {
        readKey(kv.first.as<std::string>(), kv.second, kv.first.Mark().line + 2, file, issues,
                out.meta, has_title, has_description);
    }
    if (!has_title) issues.push_back({file, 1, "front matter: \"title\" is required"});
    if (!has_description) {
        issues.push_back({file, 1, "front matter: \"description\" is required"});
    }
    return out;
}

}  // namespace portico::plugins::pages
