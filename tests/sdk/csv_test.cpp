#include "portico/sdk/csv.hpp"

#include <catch2/catch.hpp>

using portico::sdk::csvField;
using portico::sdk::csvRow;

TEST_CASE("a CSV field is quoted with inner quotes doubled") {
    CHECK(csvField("") == "\"\"");
    CHECK(csvField("plain") == "\"plain\"");
    CHECK(csvField("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csvField("two\r\nlines, one cell") == "\"two\r\nlines, one cell\"");
}

TEST_CASE("a CSV field that starts like a spreadsheet formula stays text") {
    CHECK(csvField("=HYPERLINK(\"http://evil\")") == "\"'=HYPERLINK(\"\"http://evil\"\")\"");
    CHECK(csvField("+1") == "\"'+1\"");
    CHECK(csvField("-2") == "\"'-2\"");
    CHECK(csvField("@SUM(A1)") == "\"'@SUM(A1)\"");
    CHECK(csvField("\tx") == "\"'\tx\"");
    CHECK(csvField("\rx") == "\"'\rx\"");
    CHECK(csvField("a=1") == "\"a=1\"");
}

TEST_CASE("a CSV row joins fields with commas and ends with CRLF") {
    CHECK(csvRow({}) == "\r\n");
    CHECK(csvRow({"a", "=b", "c,d"}) == "\"a\",\"'=b\",\"c,d\"\r\n");
}
