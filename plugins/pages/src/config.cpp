#include "config.hpp"

#include <algorithm>

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
               "description": "render draft pages too (noindex, left out of the site model's sitemap)"},
    "notes": {
      "type": "object",
      "description": "the notes (blog) section: its list page is paginated, each note gets a reading time, heading anchors and code highlighting, and each locale an Atom feed at <list URL>feed.xml",
      "properties": {
        "section": {"type": "string", "default": "notes", "minLength": 1,
                    "description": "page key of the notes list (content/<locale>/notes/index.md); its direct sub-pages are the notes, newest first by date"},
        "page_size": {"type": "integer", "default": 5, "minimum": 1, "maximum": 100,
                      "description": "notes per list page; further pages are <list URL><pagination.slug>/N/"},
        "feed_entries": {"type": "integer", "default": 20, "minimum": 1, "maximum": 500,
                         "description": "newest notes in each locale's Atom feed"},
        "words_per_minute": {"type": "integer", "default": 200, "minimum": 50, "maximum": 1000,
                             "description": "reading speed for the reading time of every page (page.reading_minutes)"}
      }
    },
    "tags": {
      "type": "object",
      "description": "tag pages: every tag of the front matter's tags gets a page per locale below the tags section page's URL",
      "properties": {
        "section": {"type": "string", "default": "tags", "minLength": 1,
                    "description": "page key of the tags index (content/<locale>/tags/index.md); needed in each locale whose pages carry tags"},
        "layout": {"type": "string", "default": "tag", "minLength": 1,
                   "description": "layout in templates/layouts that renders each tag's page"}
      }
    },
    "images": {
      "type": "object",
      "description": "responsive variants of the JPEG and PNG images that pages show, cached by content under <data_dir>/cache/images",
      "properties": {
        "widths": {"type": "array", "default": [480, 800, 1200, 1600], "minItems": 1, "maxItems": 8,
                   "items": {"type": "integer", "minimum": 16, "maximum": 8192},
                   "description": "widths in pixels of the variants; an image also gets its own width, and is never scaled up"},
        "formats": {"type": "array", "default": ["avif", "webp"], "maxItems": 2,
                    "items": {"type": "string", "enum": ["avif", "webp"]},
                    "description": "modern formats offered as <source>s besides the original's format (JPEG or PNG)"},
        "quality": {
          "type": "object",
          "description": "encoder quality per format, 1 (smallest) to 100 (best)",
          "properties": {
            "jpeg": {"type": "integer", "default": 82, "minimum": 1, "maximum": 100, "description": "JPEG (libjpeg-turbo) quality"},
            "webp": {"type": "integer", "default": 80, "minimum": 1, "maximum": 100, "description": "WebP (libwebp) quality"},
            "avif": {"type": "integer", "default": 75, "minimum": 1, "maximum": 100, "description": "AVIF (libavif) quality"}
          }
        },
        "avif_speed": {"type": "integer", "default": 8, "minimum": 0, "maximum": 10,
                       "description": "libavif encoder speed, 0 (slowest, smallest) to 10 (fastest)"},
        "sizes": {
          "type": "object",
          "description": "the sizes attribute of each use, matching the stylesheet",
          "properties": {
            "content": {"type": "string", "minLength": 1, "default": "(min-width: 48rem) 42rem, calc(100vw - 2rem)",
                        "description": "Markdown images and a page's own cover (page.image)"},
            "portrait": {"type": "string", "minLength": 1, "default": "(min-width: 48rem) 18rem, 11rem", "description": "owner.photo"},
            "card": {"type": "string", "minLength": 1, "default": "(min-width: 70rem) 22rem, (min-width: 48rem) 45vw, calc(100vw - 2rem)",
                     "description": "children[].image, the covers of project cards"}
          }
        }
      }
    }
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
    const auto& images = block.at("images");
    c.images.widths = images.at("widths").get<std::vector<int>>();
    std::sort(c.images.widths.begin(), c.images.widths.end());
    c.images.widths.erase(std::unique(c.images.widths.begin(), c.images.widths.end()),
                          c.images.widths.end());
    const auto formats = images.at("formats").get<std::vector<std::string>>();
    c.images.avif = std::find(formats.begin(), formats.end(), "avif") != formats.end();
    c.images.webp = std::find(formats.begin(), formats.end(), "webp") != formats.end();
    const auto& quality = images.at("quality");
    c.images.jpeg_quality = quality.at("jpeg").get<int>();
    c.images.webp_quality = quality.at("webp").get<int>();
    c.images.avif_quality = quality.at("avif").get<int>();
    c.images.avif_speed = images.at("avif_speed").get<int>();
    const auto& sizes = images.at("sizes");
    c.images.sizes_content = sizes.at("content").get<std::string>();
    c.images.sizes_portrait = sizes.at("portrait").get<std::string>();
    c.images.sizes_card = sizes.at("card").get<std::string>();
    const auto& notes = block.at("notes");
    c.notes.section = notes.at("section").get<std::string>();
    c.notes.page_size = notes.at("page_size").get<int>();
    c.notes.feed_entries = notes.at("feed_entries").get<int>();
    c.notes.words_per_minute = notes.at("words_per_minute").get<int>();
    const auto& tags = block.at("tags");
    c.tags.section = tags.at("section").get<std::string>();
    c.tags.layout = tags.at("layout").get<std::string>();
    return c;
}

}  // namespace portico::plugins::pages
