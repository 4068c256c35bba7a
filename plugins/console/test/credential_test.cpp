#include "credential.hpp"

#include <catch2/catch.hpp>

#include "config.hpp"
#include "guard.hpp"
#include "portico/sdk/errors.hpp"
#include "portico/testkit/test_host.hpp"

using namespace portico::plugins::console;

namespace {

int spy_calls = 0;
std::size_t spy_sizes = 0;

bool spyEqual(std::string_view a, std::string_view b) noexcept {
    ++spy_calls;
    spy_sizes = a.size() + b.size();
    return constantTimeEqual(a, b);
}

}  // namespace

TEST_CASE("A password hash round-trips and only the right password matches it") {
    const std::string stored = makePasswordHash("correct horse", kMinIterations);
    CHECK(stored.rfind("pbkdf2-sha256:10000:", 0) == 0);
    CHECK(stored.size() == std::string("pbkdf2-sha256:10000:").size() + 32 + 1 + 64);
    std::string why;
    auto hash = parsePasswordHash(stored, why);
    REQUIRE(hash);
    CHECK(verifyPassword(*hash, "correct horse"));
    CHECK_FALSE(verifyPassword(*hash, "correct hors"));
    CHECK_FALSE(verifyPassword(*hash, ""));
    CHECK(makePasswordHash("correct horse", kMinIterations) != stored);  // a fresh salt
}

TEST_CASE("Malformed password hashes are refused with a reason") {
    const char* bad[] = {"",
                         "secret",
                         "pbkdf2-sha256:600000:00112233445566778899aabbccddeeff",
                         "pbkdf2-sha1:600000:00112233445566778899aabbccddeeff:00",
                         "pbkdf2-sha256:99:00112233445566778899aabbccddeeff:"
                         "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
                         "pbkdf2-sha256:600000:zz112233445566778899aabbccddeeff:"
                         "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
                         "pbkdf2-sha256:600000:00112233445566778899aabbccddeeff:00ff",
                         "pbkdf2-sha256:600000:00112233445566778899aabbccddeeff:"
                         "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff:x"};
    for (const char* text : bad) {
        std::string why;
        CAPTURE(text);
        CHECK_FALSE(parsePasswordHash(text, why));
        CHECK_FALSE(why.empty());
    }
}

TEST_CASE("Digests are compared in constant time: CRYPTO_memcmp over the whole length") {
    CHECK(constantTimeEqual("abcdef", "abcdef"));
    CHECK_FALSE(constantTimeEqual("abcdef", "abcdeg"));
    CHECK_FALSE(constantTimeEqual("abcdef", "xbcdef"));
    CHECK_FALSE(constantTimeEqual("abc", "abcdef"));
    std::string why;
    auto hash = parsePasswordHash(makePasswordHash("pw", kMinIterations), why);
    REQUIRE(hash);
    spy_calls = 0;
    CHECK_FALSE(verifyPassword(*hash, "wrong", &spyEqual));
    CHECK(spy_calls == 1);
    CHECK(spy_sizes == 64);  // two whole SHA-256 digests, never a prefix
}

TEST_CASE("The sign-in compares through the digest comparison it was given") {
    portico::testkit::FakeClock clock;
    ConsoleConfig config;
    std::string why;
    config.password = parsePasswordHash(makePasswordHash("pw", kMinIterations), why);
    Guard guard(config, clock, &spyEqual);
    std::string session;
    spy_calls = 0;
    CHECK(guard.login("192.0.2.1", "nope", session) == Guard::Login::kWrong);
    CHECK(guard.login("192.0.2.1", "pw", session) == Guard::Login::kOk);
    CHECK(spy_calls == 2);
    CHECK(session.size() == 64);
    CHECK(guard.valid(session));
    CHECK(guard.csrfValid(session, guard.csrfToken(session)));
    CHECK_FALSE(guard.csrfValid(session, guard.csrfToken("")));
    CHECK_FALSE(guard.csrfValid(session, ""));
    guard.logout(session);
    CHECK_FALSE(guard.valid(session));
}

TEST_CASE("Failed sign-ins are limited per client address within the window") {
    portico::testkit::FakeClock clock;
    ConsoleConfig config;
    config.login_attempts = 3;
    std::string why;
    config.password = parsePasswordHash(makePasswordHash("pw", kMinIterations), why);
    Guard guard(config, clock);
    std::string session;
    for (int i = 0; i < 3; ++i)
        CHECK(guard.login("192.0.2.1", "x", session) == Guard::Login::kWrong);
    CHECK(guard.login("192.0.2.1", "pw", session) == Guard::Login::kLimited);
    CHECK(guard.login("192.0.2.2", "pw", session) == Guard::Login::kOk);  // another client
    clock.advance(std::chrono::minutes(15));
    CHECK(guard.login("192.0.2.1", "pw", session) == Guard::Login::kOk);
}

TEST_CASE("Without a password hash the console is allowed on loopback only, naming the key") {
    const nlohmann::json block{{"password_hash", ""},     {"session_minutes", 480},
                               {"login_attempts", 5},     {"login_window_minutes", 15},
                               {"backup_dir", "backups"}, {"keep_backups", 14},
                               {"sample_seconds", 10}};
    CHECK_NOTHROW(readConfig(block, "127.0.0.1", "/data"));
    CHECK_NOTHROW(readConfig(block, "::1", "/data"));
    CHECK_NOTHROW(readConfig(block, "", "/data"));  // admin.enabled false
    for (const char* address : {"0.0.0.0", "::", "10.0.0.5"}) {
        CAPTURE(address);
        try {
            readConfig(block, address, "/data");
            FAIL("accepted");
        } catch (const portico::sdk::ConfigError& e) {
            REQUIRE(e.issues().size() == 1);
            CHECK(e.issues()[0].path == "password_hash");
            CHECK(e.issues()[0].message.find(address) != std::string::npos);
        }
    }
    auto with_hash = block;
    with_hash["password_hash"] = makePasswordHash("pw", kMinIterations);
    CHECK(readConfig(with_hash, "0.0.0.0", "/data").password.has_value());
    CHECK(readConfig(block, "127.0.0.1", "/data").backup_dir == "/data/backups");
}
