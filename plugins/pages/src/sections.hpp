#pragma once

#include <functional>
#include <string>
#include <vector>

#include "config.hpp"
#include "content.hpp"
#include "issues.hpp"

namespace portico::plugins::pages {

/// A locale's interface string by dotted key, or `fallback` when the catalog has none.
using StringLookup = std::function<std::string(const std::string& locale, const std::string& key,
                                               const std::string& fallback)>;

/// A tag's id, the same in every locale: the slug of its name as written ("CI/CD" -> "ci-cd").
std::string tagId(const std::string& name);

/// Adds the pages the content implies, after the written ones (so their URLs are known):
/// - one page per tag and locale, key "<tags.section>/<id>", below the tags section page's URL
///   with the slug of the tag's name in that locale (the string "tag_names.<id>", else the name
///   as first written); its `tag` is the id, `params.count` the number of pages that carry it;
/// - pages 2..N of each locale's notes list, key "<notes.section>/page/<N>", at
///   "<list URL><pagination.slug>/<N>/" ("page" without the string), with the list's body.
/// Problems go to `issues`: tags in a locale without the tags section page, a note without a
/// date, a generated URL that a written page already has. Pure but for `text`.
void addGeneratedPages(std::vector<SourcePage>& pages, const PagesConfig& config,
                       const StringLookup& text, Issues& issues);

/// True for a written page directly below the notes section page ("notes/first-note").
bool isNote(const SourcePage& page, const std::string& section);

/// Newest first by date, then by title.
void sortNewestFirst(std::vector<const SourcePage*>& pages);

/// The notes of `locale`, newest first.
std::vector<const SourcePage*> notesOf(const std::vector<SourcePage>& pages,
                                       const std::string& locale, const std::string& section);

/// The written pages of `locale` that carry tag `id`, newest first.
std::vector<const SourcePage*> taggedWith(const std::vector<SourcePage>& pages,
                                          const std::string& locale, const std::string& id);

}  // namespace portico::plugins::pages
