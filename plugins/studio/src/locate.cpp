#include "locate.hpp"

#include <dlfcn.h>

#include <filesystem>

namespace fs = std::filesystem;

namespace portico::plugins::studio {
namespace {

// An object inside this library: dladdr() on its address names the file it was loaded from.
const char kAnchor = 0;

}  // namespace

std::string installedRoot(std::string& why) {
    Dl_info info{};
    if (dladdr(&kAnchor, &info) == 0 || info.dli_fname == nullptr) {
        why = "cannot tell where the plugin was loaded from";
        return "";
    }
    std::error_code ec;
    fs::path dir = fs::absolute(fs::path(info.dli_fname), ec).parent_path();
    const fs::path start = dir;
    for (int level = 0; level <= 4; ++level) {
        fs::path candidate = dir / "share" / "portico" / "studio";
        if (fs::is_directory(candidate / "templates", ec)) return candidate.string();
        if (!dir.has_parent_path() || dir.parent_path() == dir) break;
        dir = dir.parent_path();
    }
    why = "no share/portico/studio folder in or above " + start.string();
    return "";
}

}  // namespace portico::plugins::studio
