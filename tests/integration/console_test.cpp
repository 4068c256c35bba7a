// The console plugin through the real process: the refusal off loopback, the sign-in, and the
// CSRF check of its forms, over loopback.
#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>

#include "harness.hpp"

using namespace portico::tests;

namespace {

std::string csrfOf(const std::string& html) {
    std::smatch m;
    if (!std::regex_search(html, m, std::regex("name=\"csrf\" value=\"([0-9a-f]{64})\"")))
        return "";
    return m[1];
}

const std::map<std::string, std::string> kForm{
    {"Content-Type", "application/x-www-form-urlencoded"}};

}  // namespace

TEST_CASE(
    "the console refuses an admin listener off loopback without a password hash, naming the key") {
    TempDir dir;
    const std::string config =
        dir.write("portico.json", testConfig(dir, R"({"console": {"enabled": true}})",
                                             R"(  "admin": {"address": "0.0.0.0", "port": 0})"));
    for (const char* command : {"check-config", "serve"}) {
        CAPTURE(command);
        auto r = runPortico({command, "--config", config});
        CHECK(r.status == 1);
        CHECK(r.err.find("plugins.console.password_hash") != std::string::npos);
        CHECK(r.err.find("admin.address \"0.0.0.0\"") != std::string::npos);
        CHECK(r.out.find("listening") == std::string::npos);
    }
}

TEST_CASE(
    "portico console hash-password reads the password from stdin and the console signs in with "
    "it") {
    TempDir dir;
    const std::string config =
        dir.write("portico.json", testConfig(dir, R"({"console": {"enabled": true}})"));
    Process hashing({"/bin/sh", "-c",
                     "printf 'correct horse\\n' | \"$0\" console hash-password --iterations 20000 "
                     "--config \"$1\"",
                     porticoBin(), config},
                    {}, dir.path());
    REQUIRE(hashing.wait() == 0);
    std::string hash = hashing.out();
    hash = hash.substr(0, hash.find('\n'));
    REQUIRE(hash.rfind("pbkdf2-sha256:20000:", 0) == 0);

    Server server(testConfig(dir, R"({"console": {"enabled": true,
        "password_hash": "${PORTICO_CONSOLE_PASSWORD_HASH}"}})"),
                  {{"PORTICO_CONSOLE_PASSWORD_HASH", hash}});
    const int admin = server.adminPort();
    auto away = request(admin, "GET", "/?lang=en");
    CHECK(away.status == 303);
    CHECK(away.header("location") == "/console/login?lang=en");
    CHECK(request(server.port(), "GET", "/").status == 404);  // never on the public listener

    auto form = request(admin, "GET", "/console/login?lang=en");
    REQUIRE(form.status == 200);
    CHECK(form.header("content-security-policy").find("unsafe") == std::string::npos);
    const std::string anonymous = csrfOf(form.body);
    REQUIRE_FALSE(anonymous.empty());
    CHECK(request(admin, "POST", "/console/login", kForm, "password=wrong&csrf=" + anonymous)
              .status == 401);
    CHECK(request(admin, "POST", "/console/login", kForm, "password=correct+horse").status == 403);
    auto in =
        request(admin, "POST", "/console/login", kForm, "password=correct+horse&csrf=" + anonymous);
    REQUIRE(in.status == 303);
    const std::string set = in.header("set-cookie");
    CHECK(set.find("HttpOnly; Secure; SameSite=Strict") != std::string::npos);
    const std::map<std::string, std::string> session{{"Cookie", set.substr(0, set.find(';'))}};

    auto page = request(admin, "GET", "/?lang=en", session);
    REQUIRE(page.status == 200);
    CHECK(page.body.find("<h1>Console</h1>") != std::string::npos);
    CHECK(page.body.find("<th scope=\"row\">console</th>") != std::string::npos);
    const std::string token = csrfOf(page.body);
    REQUIRE_FALSE(token.empty());

    auto with_session = session;
    with_session.insert(kForm.begin(), kForm.end());
    // A POST without the token is refused and changes nothing.
    CHECK(request(admin, "POST", "/console/backup", with_session, "").status == 403);
    const auto backups = std::filesystem::path(dir.path()) / "data" / "backups";
    CHECK_FALSE(std::filesystem::exists(backups));
    CHECK(request(admin, "POST", "/console/backup", with_session, "csrf=" + token).status == 200);
    CHECK(std::distance(std::filesystem::directory_iterator(backups),
                        std::filesystem::directory_iterator()) == 1);
}
