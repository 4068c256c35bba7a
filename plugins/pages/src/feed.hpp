#pragma once

#include <string>
#include <utility>
#include <vector>

namespace portico::plugins::pages {

/// One note in a feed.
struct FeedEntry {
    std::string title;
    std::string url;      ///< absolute
    std::string date;     ///< YYYY-MM-DD: published and updated
    std::string summary;  ///< the description, plain text
    std::string html;     ///< the rendered body, sent as escaped HTML content
    std::vector<std::pair<std::string, std::string>> categories;  ///< (term, label) per tag
};

/// What an Atom feed of one locale's notes says about itself.
struct FeedInput {
    std::string lang;      ///< xml:lang, e.g. "de"
    std::string title;     ///< e.g. "Notes · Alex Muster"
    std::string subtitle;  ///< may be empty
    std::string self_url;  ///< absolute URL of the feed
    std::string page_url;  ///< absolute URL of the notes list (the alternate and the feed id)
    std::string author;    ///< the site owner
    std::vector<FeedEntry> entries;  ///< newest first
};

/// The Atom (RFC 4287) document, written with Poco::XML's XMLWriter so every text and attribute
/// is escaped by the writer. `updated` is the newest entry's date (the first), else 1970-01-01.
/// Pure.
std::string atomFeed(const FeedInput& in);

}  // namespace portico::plugins::pages
