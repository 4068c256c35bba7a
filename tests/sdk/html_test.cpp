#include "portico/sdk/html.hpp"

#include <catch2/catch.hpp>

using portico::sdk::insertBeforeHeadEnd;

TEST_CASE("insertBeforeHeadEnd puts the tag before the first head end, once") {
    const std::string tag = "<script src=\"/a.js\" defer></script>";
    const std::string marker = "src=\"/a.js\"";
    struct Row {
        std::string in;
        std::string out;
    };
    const Row rows[] = {
        {"<html><head><title>t</title></head><body></body></html>",
         "<html><head><title>t</title>" + tag + "</head><body></body></html>"},
        {"<HTML><HEAD></HEAD></HTML>", "<HTML><HEAD>" + tag + "</HEAD></HTML>"},
        {"<head></head><template></head></template>",
         "<head>" + tag + "</head><template></head></template>"},
        {"<p>a fragment without a head</p>", "<p>a fragment without a head</p>"},
        {"", ""},
    };
    for (const auto& row : rows) {
        INFO(row.in);
        const std::string once = insertBeforeHeadEnd(row.in, tag, marker);
        CHECK(once == row.out);
        CHECK(insertBeforeHeadEnd(once, tag, marker) == once);  // idempotent
    }
    CHECK(insertBeforeHeadEnd("<head></head>", "<meta>", "") == "<head><meta></head>");
}
