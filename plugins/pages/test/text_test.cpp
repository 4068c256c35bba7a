#include "text.hpp"

#include <catch2/catch.hpp>

using namespace portico::plugins::pages;

TEST_CASE("slugify turns tag names and headings into URL segments") {
    const std::pair<const char*, const char*> cases[] = {
        {"Docker", "docker"},
        {"CI/CD", "ci-cd"},
        {"C++", "cpp"},
        {"C#", "csharp"},
        {"Zero-downtime deploys", "zero-downtime-deploys"},
        {"  Über Größe & Maß  ", "ueber-groesse-mass"},
        {"Ärger, Öl", "aerger-oel"},
        {"Prometheus 2.x", "prometheus-2-x"},
        {"</code><script>", "code-script"},
        {"café", "caf"},
        {"!!!", ""},
        {"", ""},
    };
    for (const auto& [in, out] : cases) {
        INFO(in);
        CHECK(slugify(in) == out);
    }
}

TEST_CASE("words are counted by letters and digits, not by Markdown punctuation") {
    CHECK(countWords("") == 0);
    CHECK(countWords("One two  three\nfour") == 4);
    CHECK(countWords("## Heading - with * bullets") == 3);
    CHECK(countWords("```sh\ncurl -fsS http://x/\n```") == 4);
    CHECK(countWords("Größe über Maß") == 3);
}

TEST_CASE("reading time rounds up and is never under a minute") {
    CHECK(readingMinutes(0, 200) == 1);
    CHECK(readingMinutes(200, 200) == 1);
    CHECK(readingMinutes(201, 200) == 2);
    CHECK(readingMinutes(450, 200) == 3);
    CHECK(readingMinutes(450, 0) == 450);
}

TEST_CASE("list pages hold page_size items each and there is always one") {
    CHECK(pageCount(0, 5) == 1);
    CHECK(pageCount(5, 5) == 1);
    CHECK(pageCount(6, 5) == 2);
    CHECK(pageCount(11, 5) == 3);
    CHECK(pageCount(3, 1) == 3);
}
