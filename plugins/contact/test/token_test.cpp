#include "token.hpp"

#include <catch2/catch.hpp>

using namespace portico::plugins::contact;

TEST_CASE("HMAC-SHA256 matches RFC 4231 test case 2") {
    CHECK(hmacHex("Jefe", "what do ya want for nothing?") ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("a form token is accepted only between the minimum fill time and its maximum age") {
    const std::string secret = "0123456789abcdef-secret";
    const std::string token = issueToken(secret, 1000);
    struct Case {
        std::int64_t now;
        TokenCheck expected;
    };
    const Case cases[] = {
        {1000, TokenCheck::kTooFast},
        {1002, TokenCheck::kTooFast},
        {1003, TokenCheck::kOk},
        {1000 + 3600, TokenCheck::kOk},
        {1000 + 3601, TokenCheck::kExpired},
    };
    for (const auto& c : cases) {
        INFO(c.now);
        CHECK(checkToken(secret, token, c.now, 3, 3600) == c.expected);
    }
}

TEST_CASE("every issued token is different, even within one second") {
    const std::string secret = "0123456789abcdef-secret";
    const std::string a = issueToken(secret, 1000), b = issueToken(secret, 1000);
    CHECK(a != b);
    CHECK(a.rfind("1000.", 0) == 0);
    CHECK(checkToken(secret, a, 1003, 3, 3600) == TokenCheck::kOk);
    CHECK(checkToken(secret, b, 1003, 3, 3600) == TokenCheck::kOk);
    CHECK(issueToken(secret, 1000, "0123456789abcdef") ==
          "1000.0123456789abcdef." + hmacHex(secret, "contact-form:1000.0123456789abcdef"));
}

TEST_CASE("a forged, altered or foreign token is invalid") {
    const std::string secret = "0123456789abcdef-secret";
    const std::string token = issueToken(secret, 1000, "0123456789abcdef");
    const std::string altered = "999" + token.substr(4);
    const std::string other_nonce = "1000.0123456789abcdee" + token.substr(21);
    const std::string old_format = "1000." + hmacHex(secret, "contact-form:1000");
    for (const std::string& bad :
         {std::string(""), std::string("1000"), std::string("1000."), std::string("1000.."),
          altered, other_nonce, old_format, issueToken("another-secret-0123", 1000),
          std::string("x1000.") + token.substr(5)}) {
        INFO(bad);
        CHECK(checkToken(secret, bad, 2000, 3, 3600) == TokenCheck::kInvalid);
    }
}
