#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "issues.hpp"

namespace portico::plugins::pages {

/// One file of the asset folder, served under a fingerprinted name.
struct Asset {
    std::string rel;  ///< path within the asset folder, e.g. "css/site.css"
    std::string url;  ///< e.g. "/assets/css/site.3f2a1b4c5d.css"
    std::string body;
    std::string content_type;
    int width = 0;  ///< images only: intrinsic size, 0 when unknown
    int height = 0;
};

/// Width and height from a PNG, GIF, JPEG or SVG file's bytes (`ext` lower-case, no dot), or
/// nullopt when they cannot be read. Pure.
std::optional<std::pair<int, int>> imageSize(const std::string& bytes, const std::string& ext);

/// Reads every regular file below `dir` (by rel path). Symlinks whose target lies outside `dir`
/// are skipped and named in `skipped`. Images whose size cannot be read are content errors.
std::map<std::string, Asset> loadAssets(const std::string& dir, const std::string& shown,
                                        Issues& issues, std::vector<std::string>& skipped);

}  // namespace portico::plugins::pages
