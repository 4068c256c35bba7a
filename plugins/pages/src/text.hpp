#pragma once

#include <cstddef>
#include <string>

namespace portico::plugins::pages {

/// A URL segment for a tag or heading: lowercase ASCII letters and digits joined by '-'; German
/// umlauts and ß are spelled out ("Über" -> "ueber"), '+' becomes "p" ("C++" -> "cpp") and '#'
/// "sharp"; any other character separates words ("CI/CD" -> "ci-cd"). "" when nothing is left.
/// Pure.
std::string slugify(const std::string& text);

/// The words of a Markdown body for its reading time: runs of characters between whitespace
/// that hold at least one letter or digit (Markdown punctuation alone does not count). Pure.
int countWords(const std::string& text);

/// Minutes to read `words` at `per_minute` words a minute, rounded up, at least 1. Pure.
int readingMinutes(int words, int per_minute);

/// The number of list pages `items` entries fill at `page_size` a page, at least 1. Pure.
int pageCount(std::size_t items, int page_size);

}  // namespace portico::plugins::pages
