#pragma once

#include <string>

namespace portico::plugins::studio {

/// The site folder installed with the plugin: the first `share/portico/studio` (with a
/// templates/ folder) found in the directory of this plugin's `.so` or up to four levels above
/// it. That is `<prefix>/share/portico/studio` for `<prefix>/lib/portico/plugins/studio.so`,
/// the same in the build tree, an install prefix and the Docker image. Returns "" and sets
/// `why` when there is none.
std::string installedRoot(std::string& why);

}  // namespace portico::plugins::studio
