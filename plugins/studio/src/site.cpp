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

StudioSite buildSite(const SiteInput& in, std::vector<SiteIssue>& issues) {
    StudioSite site;
    const fs::path root(in.root);
    const std::size_t before = issues.size();
    const auto templates = loadTemplates(root / "templates", issues);
    site.assets = loadAssets(root / "assets", issues, site.skipped_assets);

    sdk::Messages messages(in.locales.front());
    const std::string locales_dir = (root / "locales").string();
    for (auto& issue : messages.load(locales_dir, locales_dir, in.locales)) {
        issues.push_back({std::move(issue.file), "", std::move(issue.message)});
    }
    if (issues.size() != before) return site;
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
    if (issues.size() != before) return site;
    const std::string& first = in.locales.front();

    auto render = [&](const std::string& body, const std::string& locale, const std::string& path,
                      bool alternates) {
        mustache::data view{mustache::data::type::object};
        for (const auto& [key, text] : messages.texts(locale)) view.set(key, text);
        view.set("lang", locale);
        view.set("noindex", mustache::data{in.noindex});
        view.set("main_url", in.main_url);
        view.set("home", "/" + locale + "/");
        if (!path.empty()) view.set("canonical", in.studio_url + path);
        mustache::data languages{mustache::data::type::list};
        mustache::data links{mustache::data::type::list};
        for (const auto& l : in.locales) {
            mustache::data item{mustache::data::type::object};
            item.set("code", l);
            item.set("href", "/" + l + "/");
            item.set("name", messages.text(l, "language_name"));
            item.set("enter", messages.text(l, "enter"));
            item.set("current", mustache::data{path == "/" + l + "/"});
            languages.push_back(item);
            mustache::data link{mustache::data::type::object};
            link.set("hreflang", l);
            link.set("href", in.studio_url + "/" + l + "/");
            links.push_back(link);
        }
        if (alternates) {
            mustache::data x_default{mustache::data::type::object};
            x_default.set("hreflang", "x-default");
            x_default.set("href", in.studio_url + "/");
            links.push_back(x_default);
            view.set("alternates", links);
        }
        view.set("languages", languages);
        view.set("body", templates.at(body));
        view.set(
            "asset", mustache::lambda{[&](const std::string& name) -> std::string {
                for (const auto& a : site.assets) {
                    if (a.name == name) return a.url;
                }
                issues.push_back({(root / "templates").string(), "",
                                  "no asset \"" + name + "\" in " + (root / "assets").string()});
                return "";
            }});
        mustache::mustache layout{templates.at("layout")};
        std::string html = layout.render(view);
        if (!layout.is_valid()) {
            issues.push_back({(root / "templates" / (body + ".mustache")).string(), "",
                              "template: " + layout.error_message()});
        }
        return html;
    };

    site.pages.push_back({"/", "", render("selector", first, "/", true)});
    for (const auto& locale : in.locales) {
        site.pages.push_back(
            {"/" + locale + "/", locale, render("landing", locale, "/" + locale + "/", true)});
        site.not_found[locale] = render("not_found", locale, "", false);
    }
    site.robots_txt = robotsTxt(in.noindex);
    return site;
}

}  // namespace portico::plugins::studio
