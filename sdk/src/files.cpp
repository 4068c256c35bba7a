#include "portico/sdk/files.hpp"

#include <algorithm>
#include <filesystem>

namespace fs = std::filesystem;

namespace portico::sdk {

FolderListing listFolder(const std::string& root_path, bool recursive) {
    FolderListing out;
    std::error_code ec;
    const fs::path root = fs::canonical(root_path, ec);
    if (ec || !fs::is_directory(root, ec)) return out;
    const std::string prefix = root.string() + "/";
    fs::recursive_directory_iterator it(root, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        const fs::path& path = it->path();
        const std::string rel = path.lexically_relative(root).generic_string();
        const fs::path real = fs::weakly_canonical(path, ec);
        if (ec || real.string().rfind(prefix, 0) != 0) {
            out.outside.push_back(rel);
            if (it->is_directory(ec)) it.disable_recursion_pending();
            ec.clear();
            continue;
        }
        if (it->is_directory(ec)) {
            if (!recursive) it.disable_recursion_pending();
            continue;
        }
        if (it->is_regular_file(ec)) out.files.push_back({rel, path.string()});
        ec.clear();
    }
    std::sort(out.files.begin(), out.files.end(),
              [](const FolderFile& a, const FolderFile& b) { return a.relative < b.relative; });
    std::sort(out.outside.begin(), out.outside.end());
    return out;
}

}  // namespace portico::sdk
