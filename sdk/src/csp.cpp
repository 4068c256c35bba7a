#include "portico/sdk/csp.hpp"

#include <algorithm>
#include <cctype>

namespace portico::sdk {
namespace {

std::vector<std::string> words(std::string_view text) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t start = text.find_first_not_of(" \t", pos);
        if (start == std::string_view::npos) break;
        std::size_t end = text.find_first_of(" \t", start);
        if (end == std::string_view::npos) end = text.size();
        out.emplace_back(text.substr(start, end - start));
        pos = end;
    }
    return out;
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

bool Csp::isUnsafeSource(std::string_view source) noexcept {
    return source.size() > 8 && source.substr(0, 8) == "'unsafe-";
}

Csp Csp::parse(std::string_view text) {
    Csp csp;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t end = text.find(';', pos);
        if (end == std::string_view::npos) end = text.size();
        auto parts = words(text.substr(pos, end - pos));
        pos = end + 1;
        if (parts.empty()) continue;
        std::string name = lower(parts.front());
        if (csp.find(name)) continue;  // the first occurrence wins, as in browsers
        csp.directives_.emplace_back(name,
                                     std::vector<std::string>(parts.begin() + 1, parts.end()));
    }
    return csp;
}

const std::vector<std::string>* Csp::find(std::string_view directive) const {
    for (const auto& d : directives_) {
        if (d.first == directive) return &d.second;
    }
    return nullptr;
}

void Csp::add(const std::string& directive, const std::vector<std::string>& sources) {
    auto it = std::find_if(directives_.begin(), directives_.end(),
                           [&](const Directive& d) { return d.first == directive; });
    if (sources.size() == 1 && sources.front() == "'none'") {
        if (it == directives_.end()) {
            directives_.emplace_back(directive, sources);
        } else {
            it->second = sources;
        }
        return;
    }
    if (it == directives_.end()) {
        const auto* fallback = find("default-src");
        directives_.emplace_back(directive, fallback ? *fallback : std::vector<std::string>{});
        it = directives_.end() - 1;
    }
    auto& list = it->second;
    list.erase(std::remove(list.begin(), list.end(), "'none'"), list.end());
    for (const auto& s : sources) {
        if (s != "'none'" && std::find(list.begin(), list.end(), s) == list.end())
            list.push_back(s);
    }
    if (list.empty()) list.push_back("'none'");
}

void Csp::merge(const Csp& other) {
    for (const auto& [name, sources] : other.directives_) {
        if (name == "frame-ancestors" || name == "sandbox" || name.rfind("report-", 0) == 0) {
            continue;
        }
        std::vector<std::string> safe;
        for (const auto& s : sources) {
            if (!isUnsafeSource(s) && s != "'none'") safe.push_back(s);
        }
        if (!safe.empty()) add(name, safe);
    }
}

std::string Csp::str() const {
    std::string out;
    for (const auto& [name, sources] : directives_) {
        if (!out.empty()) out += "; ";
        out += name;
        for (const auto& s : sources) out += " " + s;
    }
    return out;
}

}  // namespace portico::sdk
