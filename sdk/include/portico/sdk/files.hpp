#pragma once

#include <string>
#include <vector>

namespace portico::sdk {

/// One regular file found by `listFolder`.
struct FolderFile {
    std::string relative;  ///< path below the folder, '/'-separated, e.g. "img/logo.svg"
    std::string path;      ///< the path to open
};

/// What `listFolder` found.
struct FolderListing {
    std::vector<FolderFile> files;     ///< sorted by `relative`
    std::vector<std::string> outside;  ///< entries (relative) whose real path leaves the folder
};

/// The regular files below `root`, the one rule for publishing a folder (pages' and studio's
/// assets): symlinks are followed only while their target stays inside `root`; an entry whose
/// real path leaves it (a file, or a folder with everything below it) is not listed but named in
/// `outside`, so a link cannot publish /etc/passwd. Only the top level unless `recursive`. A
/// missing or unreadable `root` gives an empty listing. Any thread; throws only `bad_alloc`.
FolderListing listFolder(const std::string& root, bool recursive = true);

}  // namespace portico::sdk
