#include "portico/sdk/fingerprint.hpp"

#include <catch2/catch.hpp>

using portico::sdk::contentFingerprint;
using portico::sdk::fingerprintedName;

TEST_CASE("a content fingerprint is the start of the SHA-1 of the bytes") {
    struct Row {
        const char* bytes;
        std::size_t length;
        const char* fingerprint;
    };
    const Row rows[] = {
        {"a", 10, "86f7e437fa"},
        {"a", 16, "86f7e437faa5a7fc"},
        {"a", 40, "86f7e437faa5a7fce15d1ddcb9eaeaea377667b8"},
        {"", 10, "da39a3ee5e"},
        {"body { color: red }\n", 1, "7"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.bytes, row.length);
        CHECK(contentFingerprint(row.bytes, row.length) == row.fingerprint);
    }
    CHECK(contentFingerprint("a") == "86f7e437fa");  // kFingerprintLength
    CHECK_THROWS_WITH(contentFingerprint("a", 0),
                      "contentFingerprint: length must be 1 to 40, got 0");
    CHECK_THROWS_WITH(contentFingerprint("a", 41),
                      "contentFingerprint: length must be 1 to 40, got 41");
}

TEST_CASE("the fingerprint goes before the extension of the last path segment") {
    struct Row {
        const char* path;
        const char* name;
    };
    const Row rows[] = {
        {"studio.css", "studio.86f7e437fa.css"},       {"css/site.css", "css/site.86f7e437fa.css"},
        {"js/app.min.js", "js/app.min.86f7e437fa.js"}, {"LICENSE", "LICENSE.86f7e437fa"},
        {".nojekyll", ".nojekyll.86f7e437fa"},         {"a/.hidden", "a/.hidden.86f7e437fa"},
        {"v1.2/readme", "v1.2/readme.86f7e437fa"},     {"", ".86f7e437fa"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.path);
        CHECK(fingerprintedName(row.path, "86f7e437fa") == row.name);
    }
}
