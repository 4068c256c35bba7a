#include "assets.hpp"

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "portico/sdk/files.hpp"
#include "portico/sdk/fingerprint.hpp"
#include "portico/sdk/resource.hpp"

namespace fs = std::filesystem;

namespace portico::plugins::pages {
namespace {

unsigned be16(const std::string& b, std::size_t i) {
    return (static_cast<unsigned char>(b[i]) << 8) | static_cast<unsigned char>(b[i + 1]);
}

unsigned be32(const std::string& b, std::size_t i) { return (be16(b, i) << 16) | be16(b, i + 2); }

std::optional<std::pair<int, int>> jpegSize(const std::string& b) {
    std::size_t i = 2;
    while (i + 9 < b.size()) {
        if (static_cast<unsigned char>(b[i]) != 0xFF) return std::nullopt;
        unsigned marker = static_cast<unsigned char>(b[i + 1]);
        if (marker == 0xFF) {
            ++i;
            continue;
        }
        unsigned length = be16(b, i + 2);
        bool sof =
            marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (sof) return std::make_pair(int(be16(b, i + 7)), int(be16(b, i + 5)));
        i += 2 + length;
    }
    return std::nullopt;
}

std::optional<std::pair<int, int>> svgSize(const std::string& b) {
    std::smatch root;
    if (!std::regex_search(b, root, std::regex("<svg\\b[^>]*>"))) return std::nullopt;
    std::string tag = root.str();
    std::smatch w, h, box;
    std::regex wre("\\swidth=\"([0-9.]+)(px)?\""), hre("\\sheight=\"([0-9.]+)(px)?\"");
    if (std::regex_search(tag, w, wre) && std::regex_search(tag, h, hre)) {
        return std::make_pair(int(std::stod(w[1])), int(std::stod(h[1])));
    }
    std::regex vre("viewBox=\"\\s*[-0-9.]+[ ,]+[-0-9.]+[ ,]+([0-9.]+)[ ,]+([0-9.]+)\\s*\"");
    if (std::regex_search(tag, box, vre)) {
        return std::make_pair(int(std::stod(box[1])), int(std::stod(box[2])));
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::pair<int, int>> imageSize(const std::string& b, const std::string& ext) {
    if (ext == "png" && b.size() >= 24 && b.compare(1, 3, "PNG") == 0) {
        return std::make_pair(int(be32(b, 16)), int(be32(b, 20)));
    }
    if (ext == "gif" && b.size() >= 10 && b.compare(0, 3, "GIF") == 0) {
        auto le16 = [&](std::size_t i) {
            return static_cast<unsigned char>(b[i]) | (static_cast<unsigned char>(b[i + 1]) << 8);
        };
        return std::make_pair(le16(6), le16(8));
    }
    if ((ext == "jpg" || ext == "jpeg") && b.size() > 4 &&
        static_cast<unsigned char>(b[0]) == 0xFF && static_cast<unsigned char>(b[1]) == 0xD8) {
        return jpegSize(b);
    }
    if (ext == "svg") return svgSize(b);
    return std::nullopt;
}

std::map<std::string, Asset> loadAssets(const std::string& dir, const std::string& shown,
                                        Issues& issues, std::vector<std::string>& skipped) {
    std::map<std::string, Asset> assets;
    const sdk::FolderListing listing = sdk::listFolder(dir);
    for (const auto& rel : listing.outside) skipped.push_back(shown + "/" + rel);
    for (const auto& file : listing.files) {
        const fs::path path(file.path);
        const std::string& rel = file.relative;
        std::ifstream in(path, std::ios::binary);
        std::ostringstream body;
        body << in.rdbuf();
        Asset a;
        a.rel = rel;
        a.body = body.str();
        a.url = "/assets/" + sdk::fingerprintedName(rel, sdk::contentFingerprint(a.body));
        a.content_type = sdk::contentTypeFor(rel);
        std::string ext = path.extension().string();
        if (!ext.empty()) ext.erase(0, 1);
        for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (a.content_type.rfind("image/", 0) == 0 && ext != "ico") {
            if (auto size = imageSize(a.body, ext)) {
                a.width = size->first;
                a.height = size->second;
            } else {
                issues.push_back(
                    {shown + "/" + rel, 0, "cannot read the image's width and height"});
            }
        }
        assets.emplace(rel, std::move(a));
    }
    return assets;
}

}  // namespace portico::plugins::pages
