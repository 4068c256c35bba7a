#include "site.hpp"

#include <filesystem>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "portico/sdk/files.hpp"
#include "portico/sdk/fingerprint.hpp"
#include "portico/sdk/messages.hpp"
#include "portico/sdk/resource.hpp"

namespace fs = std::filesystem;
namespace mustache = kainjow::mustache;

namespace portico::plugins::studio {
namespace {

constexpr const char* kTemplates[] = {"layout", "landing", "selector", "not_found"};

bool readFile(const fs::path& file, std::string& out) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return false;
    std::ostringstream text;
    text << in.rdbuf();
    out = text.str();
    return true;
}

std::map<std::string, std::string> loadTemplates(const fs::path& dir,
                                                 std::vector<SiteIssue>& issues) {
    std::map<std::string, std::string> out;
    for (const char* name : kTemplates) {
        const std::string shown = (dir / (std::string(name) + ".mustache")).string();
        std::string text;
        if (!readFile(dir / (std::string(name) + ".mustache"), text)) {
            issues.push_back({shown, "", "template missing"});
            continue;
        }
        mustache::mustache check{text};
        if (!check.is_valid()) {
            issues.push_back({shown, "", "template: " + check.error_message()});
            continue;
        }
        out[name] = text;
    }
    return out;
}

std::vector<Asset> loadAssets(const fs::path& dir, std::vector<SiteIssue>& issues,
                              std::vector<std::string>& skipped) {
    std::vector<Asset> out;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        issues.push_back({dir.string(), "", "asset folder missing"});
        return out;
    }
    // The SDK's one rule for published folders: a symlink leading outside is not followed.
    const sdk::FolderListing listing = sdk::listFolder(dir.string(), false);
    for (const auto& rel : listing.outside) skipped.push_back((dir / rel).string());
    for (const auto& file : listing.files) {
        Asset asset;
        asset.name = file.relative;
        if (!readFile(file.path, asset.body)) {
            issues.push_back({file.path, "", "cannot be read"});
            continue;
        }
        asset.url =
            "/assets/" + sdk::fingerprintedName(asset.name, sdk::contentFingerprint(asset.body));
        asset.content_type = sdk::contentTypeFor(asset.name);
        out.push_back(std::move(asset));
    }
    return out;
}

}  // namespace

std::string robotsTxt(bool noindex) {
    return noindex ? "User-agent: *\nDisallow: /\n" : "User-agent: *\nDisallow:\n";
}

namespace {

// Every locale's catalog; issues for a missing or bad one.
sdk::Messages loadCatalogs(const SiteInput& in, const fs::path& root,
                           std::vector<SiteIssue>& issues) {
    sdk::Messages messages(in.locales.front());
    const std::string locales_dir = (root / "locales").string();
    for (auto& issue : messages.load(locales_dir, locales_dir, in.locales)) {
        issues.push_back({std::move(issue.file), "", std::move(issue.message)});
    }
    return messages;
}

// The operator's `strings` overrides, only for keys the catalogs have; an issue for any other.
void applyOverrides(const SiteInput& in, sdk::Messages& messages, std::vector<SiteIssue>& issues) {
    for (const auto& locale : in.locales) {
        auto over = in.overrides.find(locale);
        if (over == in.overrides.end()) continue;
        for (const auto& [key, text] : over->second) {
            if (!messages.has(locale, key)) {
                issues.push_back({"", "strings." + locale + "." + key,
                                  "unknown string; the keys are those of " + locale + ".json"});
                continue;
            }
            messages.add(locale, nlohmann::json{{key, text}});
        }
    }
}

// Renders the studio's pages from the layout and one body template each.
class Renderer {
public:
    Renderer(const SiteInput& in, const fs::path& root,
             const std::map<std::string, std::string>& templates, const sdk::Messages& messages,
             const std::vector<Asset>& assets, std::vector<SiteIssue>& issues)
        : in_(in),
          root_(root),
          templates_(templates),
          messages_(messages),
          assets_(assets),
          issues_(issues) {}

    /// The page with body template `body` in `locale`, at `path` ("" for the 404 page), with
    /// hreflang alternates when `alternates`.
    std::string render(const std::string& body, const std::string& locale, const std::string& path,
                       bool alternates) const {
        mustache::data view{mustache::data::type::object};
        for (const auto& [key, text] : messages_.texts(locale)) view.set(key, text);
        view.set("lang", locale);
        view.set("noindex", mustache::data{in_.noindex});
        view.set("main_url", in_.main_url);
        view.set("home", "/" + locale + "/");
        if (!path.empty()) view.set("canonical", in_.studio_url + path);
        view.set("languages", languages(path));
        if (alternates) view.set("alternates", links());
        view.set("body", templates_.at(body));
        view.set("asset",
                 mustache::lambda{[this](const std::string& name) { return assetUrl(name); }});
        mustache::mustache layout{templates_.at("layout")};
        std::string html = layout.render(view);
        if (!layout.is_valid()) {
            issues_.push_back({(root_ / "templates" / (body + ".mustache")).string(), "",
                               "template: " + layout.error_message()});
        }
        return html;
    }

private:
    mustache::data languages(const std::string& path) const {
        mustache::data list{mustache::data::type::list};
        for (const auto& l : in_.locales) {
            mustache::data item{mustache::data::type::object};
            item.set("code", l);
            item.set("href", "/" + l + "/");
            item.set("name", messages_.text(l, "language_name"));
            item.set("enter", messages_.text(l, "enter"));
            item.set("current", mustache::data{path == "/" + l + "/"});
            list.push_back(item);
        }
        return list;
    }

    mustache::data links() const {
        mustache::data list{mustache::data::type::list};
        auto link = [&](const std::string& hreflang, const std::string& href) {
            mustache::data item{mustache::data::type::object};
            item.set("hreflang", hreflang);
            item.set("href", href);
            list.push_back(item);
        };
        for (const auto& l : in_.locales) link(l, in_.studio_url + "/" + l + "/");
        link("x-default", in_.studio_url + "/");
        return list;
    }

    std::string assetUrl(const std::string& name) const {
        for (const auto& a : assets_) {
            if (a.name == name) return a.url;
        }
        issues_.push_back({(root_ / "templates").string(), "",
                           "no asset \"" + name + "\" in " + (root_ / "assets").string()});
        return "";
    }

    const SiteInput& in_;
    const fs::path& root_;
    const std::map<std::string, std::string>& templates_;
    const sdk::Messages& messages_;
    const std::vector<Asset>& assets_;
    std::vector<SiteIssue>& issues_;
};

}  // namespace

StudioSite buildSite(const SiteInput& in, std::vector<SiteIssue>& issues) {
    StudioSite site;
    const fs::path root(in.root);
    const std::size_t before = issues.size();
    const auto templates = loadTemplates(root / "templates", issues);
    site.assets = loadAssets(root / "assets", issues, site.skipped_assets);
    sdk::Messages messages = loadCatalogs(in, root, issues);
    if (issues.size() != before) return site;
    applyOverrides(in, messages, issues);
    if (issues.size() != before) return site;

    const Renderer renderer(in, root, templates, messages, site.assets, issues);
    site.pages.push_back({"/", "", renderer.render("selector", in.locales.front(), "/", true)});
    for (const auto& locale : in.locales) {
        site.pages.push_back({"/" + locale + "/", locale,
                              renderer.render("landing", locale, "/" + locale + "/", true)});
        site.not_found[locale] = renderer.render("not_found", locale, "", false);
    }
    site.robots_txt = robotsTxt(in.noindex);
    return site;
}

}  // namespace portico::plugins::studio
