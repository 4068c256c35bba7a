#pragma once

#include <string>

namespace portico::plugins::contact {

/// True when the plugin has texts for `locale` ("de", "en").
bool hasStrings(const std::string& locale);

/// The text for `key` in `locale` (e.g. "email_invalid"), through `sdk::Messages`: the English
/// text when `locale` lacks it, the key itself when unknown.
std::string text(const std::string& locale, const std::string& key);

}  // namespace portico::plugins::contact
