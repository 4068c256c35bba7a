#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "images.hpp"

namespace portico::plugins::pages {

/// JSON schema of the `pages` config block.
extern const char* const kSchema;

/// One social profile of the site owner.
struct SocialLink {
    std::string name;  ///< e.g. "GitHub"
    std::string url;
};

/// The person the site is about; one place for a new owner.
struct Owner {
    std::string name;
    std::string email;
    std::string job_title;
    std::string photo;   ///< asset path, e.g. "img/owner.jpg"
    std::string domain;  ///< shown in the imprint; empty: the base URL's host
    std::vector<SocialLink> social;
};

/// The notes (blog) section: a list page whose direct sub-pages are notes.
struct NotesConfig {
    std::string section = "notes";  ///< page key of the list
    int page_size = 5;
    int feed_entries = 20;
    int words_per_minute = 200;
};

/// Tag pages: one per tag and locale below the tags section page.
struct TagsConfig {
    std::string section = "tags";  ///< page key of the tags index
    std::string layout = "tag";    ///< layout of each tag's page
};

/// The typed `pages` block, filled once in configure().
struct PagesConfig {
    std::string root = "www";
    std::string locales_dir = "locales";
    Owner owner;
    std::string og_image;  ///< asset path; empty: the owner's photo
    std::string twitter_card = "summary_large_image";
    bool language_redirect = false;
    std::string language_cookie = "lang";
    bool drafts = false;
    ImagesConfig images;
    NotesConfig notes;
    TagsConfig tags;
};

/// Reads a schema-validated block (defaults filled in).
PagesConfig readConfig(const nlohmann::json& block);

}  // namespace portico::plugins::pages
