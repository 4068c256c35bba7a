// The SDK test kit applies the host's plugin id rule, so an author learns of a bad id from the
// first test run instead of from the host.
#include <catch2/catch.hpp>
#include <stdexcept>

#include "portico/testkit/test_host.hpp"

TEST_CASE("the test kit refuses a plugin whose id breaks the id rule, naming the rule") {
    const std::string file = PORTICO_BAD_DIR "/bad_id/bad_id.so";
    CHECK_THROWS_WITH(portico::testkit::TestHost(file),
                      Catch::Contains("plugin id must match ^[a-z][a-z0-9_]*$") &&
                          Catch::Contains("'guestbook-lite'"));
}
