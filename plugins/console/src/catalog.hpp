#pragma once

#include <string>

#include "portico/sdk/messages.hpp"

namespace portico::plugins::console {

/// The console's texts in English and German, with `default_locale` as the fallback.
sdk::Messages catalog(const std::string& default_locale);

}  // namespace portico::plugins::console
