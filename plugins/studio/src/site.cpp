#include "site.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/SHA1Engine.h>

#include <filesystem>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "portico/sdk/files.hpp"
#include "portico/sdk/resource.hpp"

namespace fs = std::filesystem;
namespace mustache = kainjow::mustache;

namespace portico::plugins::studio {
namespace {

using Strings = std::map<std::string, std::string>;

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

Strings loadStrings(const fs::path& file, std::vector<SiteIssue>& issues) {
    Strings out;
    std::string text;
    if (!readFile(file, text)) {
        issues.push_back({file.string(), "", "missing: each studio locale needs its strings"});
        return out;
    }
    nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
    if (!doc.is_object()) {
        issues.push_back({file.string(), "", "must be a JSON object of strings"});
        return out;
    }
    for (const auto& [key, value] : doc.items()) {
        if (!value.is_string()) {
            issues.push_back({file.string(), "", "\"" + key + "\" must be a string"});
            continue;
        }
        out[key] = value.get<std::string>();
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
        asset.url = "/assets/" + fingerprinted(asset.name, asset.body);
        asset.content_type = sdk::contentTypeFor(asset.name);
        out.push_back(std::move(asset));
    }
    return out;
}

}  // namespace

std::string fingerprinted(const std::string& name, const std::string& body) {
    Poco::SHA1Engine engine;
    engine.update(body);
    const std::string hash = Poco::DigestEngine::digestToHex(engine.digest()).substr(0, 10);
    const auto dot = name.rfind('.');
    if (dot == std::string::npos || dot == 0) return name + "." + hash;
    return name.substr(0, dot) + "." + hash + name.substr(dot);
}

std::string robotsTxt(bool noindex) {
    return noindex ? "User-agent: *\nDisallow: /\n" : "User-agent: *\nDisallow:\n";
}

StudioSite buildSite(const SiteInput& in, std::vector<SiteIssue>& issues) {
    StudioSite site;
    const fs::path root(in.root);
    const std::size_t before = issues.size();
    const auto templates = loadTemplates(root / "templates", issues);
    site.assets = loadAssets(root / "assets", issues, site.skipped_assets);

    std::map<std::string, Strings> strings;  // locale -> key -> text
    for (const auto& locale : in.locales) {
        strings[locale] = loadStrings(root / "locales" / (locale + ".json"), issues);
    }
    if (issues.size() != before) return site;

    // Every locale has the default locale's keys, so no page renders a blank.
    const std::string& first = in.locales.front();
    for (const auto& locale : in.locales) {
        for (const auto& [key, text] : strings[first]) {
            if (!strings[locale].count(key)) {
                issues.push_back({(root / "locales" / (locale + ".json")).string(), "",
                                  "missing string \"" + key + "\" (" + first + ".json has it)"});
            }
        }
        auto over = in.overrides.find(locale);
        if (over == in.overrides.end()) continue;
        for (const auto& [key, text] : over->second) {
            if (!strings[locale].count(key)) {
                issues.push_back({"", "strings." + locale + "." + key,
                                  "unknown string; the keys are those of " + locale + ".json"});
                continue;
            }
            strings[locale][key] = text;
        }
    }
    if (issues.size() != before) return site;

    auto render = [&](const std::string& body, const std::string& locale, const std::string& path,
                      bool alternates) {
        const Strings& s = strings[locale];
        mustache::data view{mustache::data::type::object};
        for (const auto& [key, text] : s) view.set(key, text);
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
            item.set("name", strings[l]["language_name"]);
            item.set("enter", strings[l]["enter"]);
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
