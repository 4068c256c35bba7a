#include "site.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "portico/sdk/fingerprint.hpp"

using namespace portico::plugins::studio;
namespace fs = std::filesystem;

namespace {

// A copy of the shipped site in a fresh temporary folder, for tests that break it.
class SiteCopy {
public:
    SiteCopy() {
        std::string pattern = (fs::temp_directory_path() / "studio-site.XXXXXX").string();
        path_ = mkdtemp(pattern.data());
        fs::copy(STUDIO_SOURCE_SITE, path_, fs::copy_options::recursive);
    }
    ~SiteCopy() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    SiteCopy(const SiteCopy&) = delete;
    SiteCopy& operator=(const SiteCopy&) = delete;
    const fs::path& path() const { return path_; }
    void write(const std::string& rel, const std::string& text) const {
        std::ofstream(path_ / rel, std::ios::binary) << text;
    }

private:
    fs::path path_;
};

SiteInput input(const std::string& root) {
    SiteInput in;
    in.root = root;
    in.locales = {"de", "en"};
    in.studio_url = "https://studio.example.com";
    in.main_url = "https://example.com";
    return in;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("the shipped site renders a selector and one landing page per locale") {
    std::vector<SiteIssue> issues;
    auto site = buildSite(input(STUDIO_SOURCE_SITE), issues);
    REQUIRE(issues.empty());
    REQUIRE(site.pages.size() == 3);
    CHECK(site.pages[0].path == "/");
    CHECK(site.pages[1].path == "/de/");
    CHECK(site.pages[2].path == "/en/");
    const std::string& de = site.pages[1].html;
    CHECK(de.rfind("<!doctype html>\n<html lang=\"de\">", 0) == 0);
    CHECK(contains(de, "<meta name=\"robots\" content=\"noindex\">"));
    CHECK(contains(de, "<link rel=\"canonical\" href=\"https://studio.example.com/de/\">"));
    CHECK(contains(de, "hreflang=\"en\" href=\"https://studio.example.com/en/\""));
    CHECK(contains(de, "hreflang=\"x-default\" href=\"https://studio.example.com/\""));
    CHECK(contains(de, "<h1>Willkommen im Studio</h1>"));
    CHECK(contains(de, "<a href=\"https://example.com/\">Zur Hauptseite</a>"));
    CHECK(contains(de, "href=\"/de/\" hreflang=\"de\" lang=\"de\" aria-current=\"page\""));
    CHECK(contains(site.pages[2].html, "<html lang=\"en\">"));
    CHECK(contains(site.pages[0].html, "Continue in English"));
    CHECK(contains(site.not_found.at("en"), "Page not found"));
    CHECK_FALSE(contains(site.not_found.at("en"), "rel=\"canonical\""));
    CHECK(site.robots_txt == "User-agent: *\nDisallow: /\n");
}

TEST_CASE("assets get fingerprinted URLs that the pages link") {
    std::vector<SiteIssue> issues;
    auto site = buildSite(input(STUDIO_SOURCE_SITE), issues);
    REQUIRE(issues.empty());
    REQUIRE(site.assets.size() == 2);
    for (const auto& asset : site.assets) {
        INFO(asset.name);
        CHECK(asset.url ==
              "/assets/" + portico::sdk::fingerprintedName(
                               asset.name, portico::sdk::contentFingerprint(asset.body)));
        CHECK(contains(site.pages[1].html, "\"" + asset.url + "\""));
    }
}

TEST_CASE("without noindex the pages carry no robots tag and robots.txt allows everything") {
    auto in = input(STUDIO_SOURCE_SITE);
    in.noindex = false;
    std::vector<SiteIssue> issues;
    auto site = buildSite(in, issues);
    REQUIRE(issues.empty());
    CHECK_FALSE(contains(site.pages[1].html, "name=\"robots\""));
    CHECK(site.robots_txt == "User-agent: *\nDisallow:\n");
}

TEST_CASE(
    "overrides replace strings, and unknown keys, missing strings and broken files are named") {
    SiteCopy copy;
    SECTION("an override replaces one string in one locale") {
        auto in = input(copy.path().string());
        in.overrides["en"]["heading"] = "Hello <studio>";
        std::vector<SiteIssue> issues;
        auto site = buildSite(in, issues);
        REQUIRE(issues.empty());
        CHECK(contains(site.pages[2].html, "<h1>Hello &lt;studio&gt;</h1>"));
        CHECK(contains(site.pages[1].html, "<h1>Willkommen im Studio</h1>"));
    }
    SECTION("an override of an unknown key") {
        auto in = input(copy.path().string());
        in.overrides["de"]["headline"] = "x";
        std::vector<SiteIssue> issues;
        buildSite(in, issues);
        REQUIRE(issues.size() == 1);
        CHECK(issues[0].path == "strings.de.headline");
        CHECK(issues[0].message == "unknown string; the keys are those of de.json");
    }
    SECTION("a broken template and a locale without strings") {
        copy.write("templates/landing.mustache", "<h1>{{#heading}}</h1>");
        auto in = input(copy.path().string());
        in.locales = {"de", "en", "fr"};
        std::vector<SiteIssue> issues;
        buildSite(in, issues);
        REQUIRE(issues.size() == 2);
        CHECK(issues[0].file == (copy.path() / "templates/landing.mustache").string());
        CHECK(contains(issues[0].message, "template: "));
        CHECK(issues[1].file == (copy.path() / "locales/fr.json").string());
        CHECK(issues[1].message == "catalog for locale \"fr\" not found");
    }
    SECTION("a string missing in one locale") {
        copy.write("locales/en.json", R"({"language_name": "English", "enter": "Go"})");
        std::vector<SiteIssue> issues;
        buildSite(input(copy.path().string()), issues);
        REQUIRE_FALSE(issues.empty());
        CHECK(issues[0].file == (copy.path() / "locales/en.json").string());
        bool heading = false;
        for (const auto& issue : issues) {
            heading = heading || issue.message == "string \"heading\" is missing (it is in " +
                                                      (copy.path() / "locales/de.json").string() +
                                                      ")";
        }
        CHECK(heading);
    }
    SECTION("a template that names an asset the folder lacks") {
        copy.write("templates/landing.mustache",
                   "<img src=\"{{#asset}}x.png{{/asset}}\" alt=\"\">");
        std::vector<SiteIssue> issues;
        buildSite(input(copy.path().string()), issues);
        REQUIRE(issues.size() == 2);  // one per landing page
        CHECK(contains(issues[0].message, "no asset \"x.png\" in "));
    }
}
