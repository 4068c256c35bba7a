// Hostile input and a hostile environment against the contact plugin, through the real process:
// header injection into the owner's mail (read from a real SMTP sink), control characters on the
// operator's terminal and formulas in the CSV export, replayed form tokens, file modes of the
// data directory, and a data directory removed under the running server.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <thread>

#include "harness.hpp"

using namespace portico::tests;
namespace fs = std::filesystem;

namespace {

const std::map<std::string, std::string> kEnv = {{"CONTACT_SECRET", "integration-secret-0123"}};

// "Eve" CR LF "Bcc: attacker@evil.test" CR LF "X-Injected: yes" ... as the visitor sent it.
const std::string kInjectedName =
    "Eve%0D%0ABcc%3A+attacker%40evil.test%0D%0AX-Injected%3A+yes%0D%0AContent-Type%3A+text%2Fhtml"
    "%0D%0A%0D%0A%3Ch1%3EFake%3C%2Fh1%3E";

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::string contactConfig(const TempDir& dir, const std::string& extra_plugin = "") {
    return testConfig(dir, R"({"health": {}, "contact": {"secret": "${CONTACT_SECRET}",
        "min_fill_seconds": 0)" +
                               extra_plugin + "}}");
}

std::string tokenIn(const std::string& html) {
    std::smatch m;
    REQUIRE(std::regex_search(html, m, std::regex("name=\"token\" value=\"([^\"]+)\"")));
    return m[1];
}

std::string tokenFrom(int port) {
    const auto page = request(port, "GET", "/en/contact/");
    REQUIRE(page.status == 200);
    return tokenIn(page.body);
}

std::string formBody(const std::string& name, const std::string& token) {
    return "name=" + name + "&email=visitor%40example.com&message=Hello+from+" + name +
           "&consent=yes&website=&token=" + token;
}

Response postForm(int port, const std::string& body) {
    return request(port, "POST", "/en/contact/",
                   {{"Content-Type", "application/x-www-form-urlencoded"}}, body);
}

// Runs a Python script on the server's SQLite file (as an older version, or another tool,
// might have written rows); `args` reach it as sys.argv[2:].
void sqlite(const TempDir& dir, const std::string& script, std::vector<std::string> args = {}) {
    std::vector<std::string> argv = {"/usr/bin/python3", "-c",
                                     "import sqlite3, sys, datetime\n"
                                     "c = sqlite3.connect(sys.argv[1])\n" +
                                         script + "\nc.commit()\n",
                                     dir.path() + "/data/portico.db"};
    argv.insert(argv.end(), args.begin(), args.end());
    Process p(argv, {}, dir.path());
    INFO(p.err());
    REQUIRE(p.wait() == 0);
}

std::multiset<std::string> storedNames(const std::string& config_file) {
    const auto r =
        runPortico({"contact", "export", "--format", "json", "--config", config_file}, kEnv);
    INFO(r.err);
    REQUIRE(r.status == 0);
    std::multiset<std::string> out;
    for (const auto& m : nlohmann::json::parse(r.out)) out.insert(m.at("name").get<std::string>());
    return out;
}

std::vector<std::string> headerLines(const std::string& mail) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    for (;;) {
        const std::size_t end = mail.find("\r\n", start);
        if (end == std::string::npos || end == start) break;
        lines.push_back(mail.substr(start, end - start));
        start = end + 2;
    }
    return lines;
}

std::size_t occurrences(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
    return n;
}

// True once `path` exists; gives up after 20 s.
bool waitForFile(const std::string& path) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!fs::exists(path)) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

mode_t modeOf(const std::string& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

// Sets the process umask (inherited by every portico started meanwhile) and restores it.
class Umask {
public:
    explicit Umask(mode_t mask) : old_(::umask(mask)) {}
    ~Umask() { ::umask(old_); }

private:
    mode_t old_;
};

}  // namespace

TEST_CASE(
    "a name with line breaks is refused and no visitor text reaches the owner's mail headers") {
    TempDir dir;
    const int smtp_port = freePort();
    const std::string mail_dir = dir.path() + "/mail";
    fs::create_directories(mail_dir);
    Process sink({"/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l",
                  "127.0.0.1:" + std::to_string(smtp_port), "-c", "smtp_sink.FileSink", mail_dir},
                 {{"PYTHONPATH", sourceDir() + "/tests/integration"}}, dir.path());
    Server server(contactConfig(dir, R"(, "notify": {"enabled": true, "smtp_port": )" +
                                         std::to_string(smtp_port) +
                                         R"(, "from": "site@example.com", "to": "owner@example.com",
                                "interval_ms": 100, "retry_base_ms": 100, "max_backoff_ms": 200})"),
                  kEnv);

    const auto refused = postForm(server.port(), formBody(kInjectedName, tokenFrom(server.port())));
    CHECK(refused.status == 422);
    CHECK_FALSE(refused.has("location"));
    CHECK(contains(refused.body,
                   "<span class=\"error\" id=\"contact-name-error\">The name must "
                   "fit on one line, without control characters.</span>"));
    CHECK(contains(refused.body, "value=\"Eve\r\nBcc: attacker@evil.test\r\n"));

    // A row written before this check existed still reaches the notifier: it must not inject.
    sqlite(dir,
           "now = datetime.datetime.utcnow().strftime('%Y-%m-%dT%H:%M:%S.000Z')\n"
           "c.execute(\"INSERT INTO contact_messages VALUES ('legacy', ?, 'en', ?, "
           "'eve@example.com', ?, 'Hi', 1, 'x', 'ua', '')\", (now, sys.argv[2], sys.argv[3]))\n"
           "c.execute(\"INSERT INTO contact_outbox VALUES ('legacy', 0, ?, '', '')\", (now,))",
           {"Eve\r\nBcc: attacker@evil.test\r\nX-Injected: yes\r\nContent-Type: "
            "text/html\r\n\r\n<h1>Fake</h1>",
            "ACME\nX-Injected: company"});
    REQUIRE(server.process().waitForOutput("notification for message legacy sent"));
    REQUIRE(postForm(server.port(), formBody("J%C3%BCrgen", tokenFrom(server.port()))).status ==
            303);

    std::vector<std::string> mails;
    for (const char* name : {"/mail-1.eml", "/mail-2.eml"}) {
        REQUIRE(waitForFile(mail_dir + name));
        mails.push_back(readFile(mail_dir + name));
    }
    const std::string all = mails[0] + mails[1];
    INFO(all);
    CHECK(contains(all, "Subject: =?UTF-8?"));  // Jürgen's name, RFC 2047 encoded
    for (const auto& mail : mails) {
        int content_types = 0;
        for (const auto& line : headerLines(mail)) {
            INFO(line);
            CHECK_FALSE(
                std::regex_search(line, std::regex("^(bcc|x-injected):", std::regex::icase)));
            if (std::regex_search(line, std::regex("^content-type:", std::regex::icase))) {
                ++content_types;
                CHECK(line == "Content-Type: text/plain; charset=UTF-8");
            }
        }
        CHECK(content_types == 1);
        CHECK_FALSE(contains(mail, "\r\n\r\n<h1>"));
    }
}

TEST_CASE(
    "contact list escapes a visitor's control characters and the CSV export quotes and "
    "neutralises every field") {
    TempDir dir;
    Server server(contactConfig(dir), kEnv);
    REQUIRE(postForm(server.port(), formBody("Ada", tokenFrom(server.port()))).status == 303);
    sqlite(
        dir,
        "c.execute(\"INSERT INTO contact_messages VALUES ('hostile', '2999-01-01T00:00:00.000Z',"
        " 'en', ?, 'm@example.com', ?, ?, 1, 'x', ?, '')\", tuple(sys.argv[2:6]))",
        {"Mallory\x1b]0;pwned\x07\x1b[31m\n2999-01-01T00:00:00.000Z  [en]  Forged <f@example.com>",
         "ACME;=1+1", "Hi\x1b[2J", "=HYPERLINK(\"http://evil.test\")"});

    const auto listed = runPortico({"contact", "list", "--config", server.configFile()}, kEnv);
    INFO(listed.err);
    REQUIRE(listed.status == 0);
    CHECK_FALSE(contains(listed.out, "\x1b"));
    CHECK_FALSE(contains(listed.out, "\x07"));
    CHECK(contains(listed.out,
                   "Mallory\\x1b]0;pwned\\x07\\x1b[31m\\n2999-01-01T00:00:00.000Z  "
                   "[en]  Forged <f@example.com> <m@example.com>  (ACME;=1+1)\n"
                   "    Hi\\x1b[2J\n"));
    CHECK(std::count(listed.out.begin(), listed.out.end(), '\n') == 5);  // 2 lines each + total

    const auto csv =
        runPortico({"contact", "export", "--format", "csv", "--config", server.configFile()}, kEnv);
    INFO(csv.err);
    REQUIRE(csv.status == 0);
    CHECK(csv.out.rfind("\"id\",\"created_at\",\"locale\",\"name\",\"email\",\"company\","
                        "\"message\",\"consent\",\"client_hash\",\"user_agent\"\r\n",
                        0) == 0);
    CHECK(contains(csv.out,
                   ",\"ACME;=1+1\",\"Hi\x1b[2J\",\"1\",\"x\","
                   "\"'=HYPERLINK(\"\"http://evil.test\"\")\"\r\n"));
    CHECK(contains(csv.out, ",\"Ada\",\"visitor@example.com\",\"\",\"Hello from Ada\",\"1\","));
}

TEST_CASE("a form token is accepted once, a replay gets 409 with the input and a fresh token") {
    TempDir dir;
    Server server(contactConfig(dir), kEnv);
    const std::string token = tokenFrom(server.port());
    CHECK(postForm(server.port(), formBody("First", token)).status == 303);

    const auto second = postForm(server.port(), formBody("Second", token));
    CHECK(second.status == 409);
    CHECK_FALSE(second.has("location"));
    CHECK(contains(second.body, "This form has already been sent."));
    CHECK(contains(second.body, "value=\"Second\""));
    CHECK(contains(second.body, ">Hello from Second</textarea>"));
    const std::string fresh = tokenIn(second.body);
    CHECK(fresh != token);
    CHECK(postForm(server.port(), formBody("Third", token)).status == 409);

    CHECK(postForm(server.port(), formBody("Second", fresh)).status == 303);
    CHECK(storedNames(server.configFile()) == std::multiset<std::string>{"First", "Second"});
}

TEST_CASE(
    "the data directory is 0700 and the files in it and the backups 0600, whatever the "
    "umask") {
    TempDir dir;
    Umask open_mask(0);
    {
        Server server(testConfig(dir, R"({"contact": {"min_fill_seconds": 0}})"), kEnv);
        REQUIRE(postForm(server.port(), formBody("Ada", tokenFrom(server.port()))).status == 303);
        const auto backup = runPortico(
            {"backup", "--out", dir.path() + "/backups/", "--config", server.configFile()});
        INFO(backup.err);
        REQUIRE(backup.status == 0);

        const std::string data = dir.path() + "/data";
        CHECK(modeOf(data) == 0700);
        std::set<std::string> seen;
        for (const auto& e : fs::directory_iterator(data)) {
            const std::string name = e.path().filename().string();
            INFO(name);
            seen.insert(name);
            CHECK(modeOf(e.path().string()) == 0600);
        }
        for (const char* name :
             {"portico.db", "portico.db-wal", "portico.db-shm", "portico.lock", "contact.secret"}) {
            CHECK(seen.count(name) == 1);
        }
        CHECK(modeOf(dir.path() + "/backups") == 0700);
        for (const auto& e : fs::directory_iterator(dir.path() + "/backups")) {
            INFO(e.path());
            CHECK(modeOf(e.path().string()) == 0600);
        }
    }
    // A data directory that an older version (or a careless mkdir) left open is narrowed.
    TempDir old;
    fs::create_directories(old.path() + "/data");
    fs::permissions(old.path() + "/data", fs::perms(0755));
    Server server(testConfig(old, R"({"contact": {"min_fill_seconds": 0}})"), kEnv);
    CHECK(modeOf(old.path() + "/data") == 0700);
    CHECK(contains(server.process().out(),
                   "data_dir: \"" + old.path() + "/data\" was mode 0755, narrowed to 0700"));
}

TEST_CASE(
    "with the data directory removed under the running server a post gets 503 with the "
    "input kept, never a thank-you") {
    TempDir dir;
    Server server(contactConfig(dir), kEnv);
    REQUIRE(postForm(server.port(), formBody("Before", tokenFrom(server.port()))).status == 303);
    const std::string token = tokenFrom(server.port());

    fs::remove_all(dir.path() + "/data");  // as an unmounted or replaced volume would
    const auto lost = postForm(server.port(), formBody("Lost", token));
    CHECK(lost.status == 503);
    CHECK_FALSE(lost.has("location"));
    CHECK(lost.header("retry-after") == "30");
    CHECK(contains(lost.body, "could not be stored just now"));
    CHECK(contains(lost.body, "value=\"Lost\""));
    CHECK(contains(lost.body, ">Hello from Lost</textarea>"));
    const std::string log = server.process().out() + server.process().err();
    CHECK(occurrences(log, "stored message ") == 1);
    CHECK(request(server.port(), "GET", "/readyz").status == 503);
}
