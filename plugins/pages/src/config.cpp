#include "config.hpp"

namespace portico::plugins::pages {

const char* const kSchema = R"json({
  "type": "object",
  "properties": {
    "root": {"type": "string", "default": "www", "minLength": 1,
             "description": "site folder with content/, templates/ and assets/; relative to the working directory"},
    "locales_dir": {"type": "string", "default": "locales", "minLength": 1,
                    "description": "folder with one <lang>.json of interface strings per site locale"},
    "owner": {
      "type": "object", "default": {},
      "description": "the person the site is about; templates see it as {{owner.*}}",
      "properties": {
        "name": {"type": "string", "default": "", "description": "full name (JSON-LD Person, footer, imprint)"},
        "email": {"type": "string", "default": "", "description": "contact e-mail address"},
        "job_title": {"type": "string", "default": "", "description": "job title for JSON-LD"},
        "photo": {"type": "string", "default": "", "description": "portrait, an asset path such as \"img/owner.jpg\""},
        "domain": {"type": "string", "default": "", "description": "domain shown in the imprint; empty: the host of site.base_url"},
        "social": {"type": "array", "default": [], "description": "profiles linked from the site and JSON-LD sameAs",
                   "items": {"type": "object", "required": ["name", "url"],
                             "properties": {"name": {"type": "string", "minLength": 1},
                                            "url": {"type": "string", "pattern": "^https?://"}}}}
      }
    },
    "og_image": {"type": "string", "default": "",
                 "description": "asset path of the default og:image; empty: the owner's photo"},
    "twitter_card": {"type": "string", "default": "summary_large_image",
                     "enum": ["summary", "summary_large_image"], "description": "twitter:card value"},
    "language_redirect": {"type": "boolean", "default": false,
                          "description": "redirect / (302, Vary) to the locale from the cookie or Accept-Language"},
    "language_cookie": {"type": "string", "default": "lang", "minLength": 1,
                        "description": "cookie that holds a chosen locale, read when language_redirect is on"},
    "drafts": {"type": "boolean", "default": false,
               "description": "render draft pages too (noindex, left out of the site model's sitemap)"}
  }
})json";

PagesConfig readConfig(const nlohmann::json& block) {
    PagesConfig c;
    c.root = block.at("root").get<std::string>();
    c.locales_dir = block.at("locales_dir").get<std::string>();
    const auto& owner = block.at("owner");
    c.owner.name = owner.value("name", "");
    c.owner.email = owner.value("email", "");
    c.owner.job_title = owner.value("job_title", "");
    c.owner.photo = owner.value("photo", "");
    c.owner.domain = owner.value("domain", "");
    for (const auto& s : owner.value("social", nlohmann::json::array())) {
        c.owner.social.push_back({s.at("name").get<std::string>(), s.at("url").get<std::string>()});
    }
    c.og_image = block.at("og_image").get<std::string>();
    c.twitter_card = block.at("twitter_card").get<std::string>();
    c.language_redirect = block.at("language_redirect").get<bool>();
    c.language_cookie = block.at("language_cookie").get<std::string>();
    c.drafts = block.at("drafts").get<bool>();
    return c;
}

}  // namespace portico::plugins::pages
