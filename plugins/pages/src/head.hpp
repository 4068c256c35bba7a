#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace portico::plugins::pages {

/// What the head tags of one page are made from.
struct HeadInput {
    std::string base_url;  ///< no trailing slash
    std::string locale;
    std::string path;                  ///< this page's URL path; empty: no canonical (404 pages)
    std::vector<std::string> locales;  ///< the site's locales, in order
    std::map<std::string, std::string> versions;  ///< locale -> path of every version
    std::string x_default;                        ///< path, may be empty
    std::string title;
    std::string description;
    std::string image;  ///< absolute URL, may be empty
    std::string image_alt;
    std::string og_type = "website";
};

/// "de" -> "de_DE", "en" -> "en_US", "en-GB" -> "en_GB": the og:locale form of a locale.
std::string ogLocale(const std::string& locale);

/// The head-tag fields templates render: lang, title, description, canonical, alternates
/// ([{hreflang, href}] in site order, every version including this one), x_default, and og
/// ({title, description, url, type, locale, locale_alternates, image, image_alt}). Pure.
nlohmann::json headData(const HeadInput& in);

/// A JSON-LD `<script>` body with a Person and a WebSite, safe to put inside <script>.
std::string jsonLd(const nlohmann::json& person, const nlohmann::json& website);

}  // namespace portico::plugins::pages
