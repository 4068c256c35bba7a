#include "head.hpp"

namespace portico::plugins::pages {

std::string ogLocale(const std::string& locale) {
    auto dash = locale.find_first_of("-_");
    if (dash != std::string::npos) {
        std::string region = locale.substr(dash + 1);
        for (auto& c : region) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        return locale.substr(0, dash) + "_" + region;
    }
    static const std::map<std::string, std::string> kRegions = {
        {"en", "US"}, {"de", "DE"}, {"fr", "FR"}, {"es", "ES"}, {"it", "IT"},
        {"nl", "NL"}, {"pt", "PT"}, {"pl", "PL"}, {"sv", "SE"}, {"da", "DK"},
        {"ja", "JP"}, {"zh", "CN"}, {"cs", "CZ"}, {"uk", "UA"}, {"el", "GR"}};
    auto it = kRegions.find(locale);
    std::string region = it != kRegions.end() ? it->second : locale;
    for (auto& c : region) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return locale + "_" + region;
}

nlohmann::json headData(const HeadInput& in) {
    nlohmann::json out;
    out["lang"] = in.locale;
    out["title"] = in.title;
    out["description"] = in.description;
    std::string canonical = in.path.empty() ? "" : in.base_url + in.path;
    out["canonical"] = canonical;
    auto alternates = nlohmann::json::array();
    auto locale_alternates = nlohmann::json::array();
    if (!in.path.empty()) {
        for (const auto& locale : in.locales) {
            auto it = in.versions.find(locale);
            if (it == in.versions.end()) continue;
            alternates.push_back({{"hreflang", locale}, {"href", in.base_url + it->second}});
            if (locale != in.locale) locale_alternates.push_back(ogLocale(locale));
        }
    }
    out["alternates"] = alternates;
    out["x_default"] = in.path.empty() || in.x_default.empty() ? "" : in.base_url + in.x_default;
    out["og"] = {{"title", in.title},
                 {"description", in.description},
                 {"url", canonical},
                 {"type", in.og_type},
                 {"locale", ogLocale(in.locale)},
                 {"locale_alternates", locale_alternates},
                 {"image", in.image},
                 {"image_alt", in.image_alt}};
    return out;
}

std::string jsonLd(const nlohmann::json& person, const nlohmann::json& website) {
    nlohmann::json graph = {{"@context", "https://schema.org"},
                            {"@graph", nlohmann::json::array({person, website})}};
    std::string text = graph.dump();
    // "</script>" inside a string would end the element; JSON allows "<\/".
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '<' && i + 1 < text.size() && text[i + 1] == '/') {
            out += "<\\/";
            ++i;
        } else {
            out += text[i];
        }
    }
    return out;
}

}  // namespace portico::plugins::pages
