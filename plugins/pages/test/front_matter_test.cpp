#include "front_matter.hpp"

#include <catch2/catch.hpp>

using namespace portico::plugins::pages;

TEST_CASE("front matter keys are read into the page's settings") {
    Issues issues;
    auto s = parseSource(
        "---\n"
        "key: projects/alpha\n"
        "title: Alpha\n"
        "description: The first project\n"
        "slug: alpha-projekt\n"
        "date: 2026-02-28\n"
        "draft: false\n"
        "noindex: true\n"
        "layout: project\n"
        "weight: 3\n"
        "params:\n"
        "  stack: [C++, Poco]\n"
        "  client: ACME\n"
        "---\n"
        "# Body\n",
        "a.md", issues);
    CHECK(issues.empty());
    CHECK(s.meta.key == "projects/alpha");
    CHECK(s.meta.title == "Alpha");
    CHECK(s.meta.description == "The first project");
    CHECK(s.meta.slug == "alpha-projekt");
    CHECK(s.meta.has_slug);
    CHECK(s.meta.date == "2026-02-28");
    CHECK_FALSE(s.meta.draft);
    CHECK(s.meta.noindex);
    CHECK(s.meta.layout == "project");
    CHECK(s.meta.weight == 3);
    CHECK(s.meta.params.dump() == R"({"client":"ACME","stack":["C++","Poco"]})");
    CHECK(s.body == "# Body\n");
    CHECK(s.body_line == 15);
}

TEST_CASE("broken front matter is reported with file, line and a hint") {
    struct Case {
        const char* text;
        const char* where;
        const char* message;
    };
    const Case cases[] = {
        {"---\ntitle: T\ndescription: D\ntitel: X\n---\n", "a.md:4",
         "unknown front-matter key \"titel\"; did you mean \"title\"?"},
        {"---\ntitle: T\ndescription: D\ndate: 2026-02-30\n---\n", "a.md:4",
         "date: must be a date written YYYY-MM-DD, got \"2026-02-30\""},
        {"---\ntitle: T\ndescription: D\ndraft: maybe\n---\n", "a.md:4",
         "draft: must be true or false, got \"maybe\""},
        {"---\ntitle: T\ndescription: D\nslug: Über Uns\n---\n", "a.md:4",
         "slug: must be lowercase letters, digits, '-' and inner '/', got \"Über Uns\""},
        {"---\ntitle: T\ndescription: D\nweight: heavy\n---\n", "a.md:4",
         "weight: must be an integer, got \"heavy\""},
        {"---\ndescription: D\n---\n", "a.md:1", "front matter: \"title\" is required"},
        {"---\ntitle: T\ndescription: D\n", "a.md:1", "front matter: no closing \"---\""},
        {"---\ntitle: [unclosed\ndescription: D\n---\n", "a.md:3",
         "front matter: end of sequence flow not found"},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        Issues issues;
        parseSource(c.text, "a.md", issues);
        REQUIRE(issues.size() == 1);
        CHECK(issues[0].where() == c.where);
        CHECK(issues[0].message == c.message);
    }
}

TEST_CASE("slugs and dates are checked by their own rules") {
    CHECK(validSlug("projekte"));
    CHECK(validSlug("2026/notes"));
    CHECK_FALSE(validSlug("/projekte"));
    CHECK_FALSE(validSlug("a//b"));
    CHECK_FALSE(validSlug("../etc"));
    CHECK_FALSE(validSlug("Projekte"));
    CHECK(validDate("2024-02-29"));
    CHECK_FALSE(validDate("2023-02-29"));
    CHECK_FALSE(validDate("2026-13-01"));
    CHECK_FALSE(validDate("26-01-01"));
}
