#include "content.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "portico/sdk/fingerprint.hpp"

namespace fs = std::filesystem;

namespace portico::plugins::pages {
namespace {

std::string stripMd(const std::string& rel) { return rel.substr(0, rel.size() - 3); }

std::string parentOf(const std::string& rel) {
    auto slash = rel.rfind('/');
    return slash == std::string::npos ? "" : rel.substr(0, slash);
}

std::string baseName(const std::string& path) {
    auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::optional<std::string> joinRel(const std::string& folder, const std::string& rel) {
    std::vector<std::string> parts;
    std::string whole =
        rel.front() == '/' ? rel.substr(1) : (folder.empty() ? "" : folder + "/") + rel;
    std::size_t pos = 0;
    while (pos <= whole.size()) {
        auto end = whole.find('/', pos);
        if (end == std::string::npos) end = whole.size();
        std::string part = whole.substr(pos, end - pos);
        pos = end + 1;
        if (part.empty() || part == ".") continue;
        if (part == "..") {
            if (parts.empty()) return std::nullopt;
            parts.pop_back();
        } else {
            parts.push_back(part);
        }
    }
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
    return out;
}

std::string folderOf(const std::string& rel) {
    auto slash = rel.rfind('/');
    return slash == std::string::npos ? "" : rel.substr(0, slash);
}

std::string keyForPath(const std::string& rel) {
    std::string stem = stripMd(rel);
    if (stem == "index") return "index";
    if (baseName(stem) == "index") return parentOf(stem);
    return stem;
}

void assignUrls(std::vector<SourcePage>& pages, Issues& issues) {
    // locale -> folder -> the slug its index.md gives it
    std::map<std::string, std::map<std::string, std::string>> folder_slug;
    for (const auto& p : pages) {
        if (baseName(p.rel) == "index.md" && p.source.meta.has_slug) {
            folder_slug[p.locale][parentOf(p.rel)] = p.source.meta.slug;
        }
    }
    auto folderUrl = [&](const std::string& locale, const std::string& folder) {
        std::string url = "/" + locale + "/";
        std::string walked;
        std::istringstream parts(folder);
        for (std::string part; std::getline(parts, part, '/');) {
            walked += (walked.empty() ? "" : "/") + part;
            auto it = folder_slug[locale].find(walked);
            std::string seg = it != folder_slug[locale].end() ? it->second : part;
            if (!seg.empty()) url += seg + "/";
        }
        return url;
    };
    std::map<std::string, const SourcePage*> by_url;
    std::map<std::string, const SourcePage*> by_key;  // locale + '\n' + key
    for (auto& p : pages) {
        const auto& meta = p.source.meta;
        p.key = meta.key.empty() ? keyForPath(p.rel) : meta.key;
        p.not_found = p.rel == "404.md";
        if (p.not_found) {
            p.key = "404";
            continue;
        }
        std::string name = baseName(p.rel);
        std::string folder = parentOf(p.rel);
        if (name == "index.md") {
            // An index page's own slug renames its folder (handled in folderUrl).
            p.url = folderUrl(p.locale, folder);
        } else {
            std::string seg = meta.has_slug ? meta.slug : stripMd(name);
            p.url = folderUrl(p.locale, folder) + (seg.empty() ? "" : seg + "/");
        }
        if (auto [it, fresh] = by_url.emplace(p.url, &p); !fresh) {
            issues.push_back(
                {p.file, 1, "url \"" + p.url + "\" is also the url of " + it->second->file});
        }
        if (auto [it, fresh] = by_key.emplace(p.locale + "\n" + p.key, &p); !fresh) {
            issues.push_back(
                {p.file, 1, "key \"" + p.key + "\" is also the key of " + it->second->file});
        }
    }
}

std::vector<SourcePage> loadContent(const std::string& content_dir, const std::string& shown,
                                    const std::vector<std::string>& locales, Issues& issues) {
    std::vector<SourcePage> pages;
    std::error_code ec;
    if (!fs::is_directory(content_dir, ec)) {
        issues.push_back({shown, 0, "content folder not found"});
        return pages;
    }
    std::set<std::string> known(locales.begin(), locales.end());
    for (const auto& dir : fs::directory_iterator(content_dir)) {
        std::string name = dir.path().filename().string();
        if (dir.is_directory() && !known.count(name)) {
            issues.push_back({shown + "/" + name, 0,
                              "folder for locale \"" + name + "\", which is not in site.locales"});
        }
    }
    for (const auto& locale : locales) {
        fs::path base = fs::path(content_dir) / locale;
        if (!fs::is_directory(base, ec)) {
            issues.push_back({shown + "/" + locale, 0, "content folder for locale not found"});
            continue;
        }
        std::vector<fs::path> files;
        for (const auto& item : fs::recursive_directory_iterator(base)) {
            if (item.is_regular_file() && item.path().extension() == ".md") {
                files.push_back(item.path());
            }
        }
        std::sort(files.begin(), files.end());
        for (const auto& path : files) {
            SourcePage p;
            p.locale = locale;
            p.rel = fs::relative(path, base).generic_string();
            p.file = shown + "/" + locale + "/" + p.rel;
            std::ifstream in(path, std::ios::binary);
            std::ostringstream text;
            text << in.rdbuf();
            p.hash = sdk::contentFingerprint(text.str(), 16);
            p.source = parseSource(text.str(), p.file, issues);
            pages.push_back(std::move(p));
        }
    }
    assignUrls(pages, issues);
    return pages;
}

}  // namespace portico::plugins::pages
