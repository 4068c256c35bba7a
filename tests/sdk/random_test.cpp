#include "portico/sdk/random.hpp"

#include <catch2/catch.hpp>

using portico::sdk::randomHex;

TEST_CASE("random hex has two lower-case digits per byte and differs from call to call") {
    CHECK(randomHex(0).empty());
    const std::string a = randomHex(16);
    CHECK(a.size() == 32);
    CHECK(a.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(randomHex(16) != a);
    CHECK(randomHex(32).size() == 64);
}
