// The data store and the contact plugin through the real process: durability across kill -9,
// a locked store, backup and restore under write load, migrations, the SMTP outbox.
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <thread>

#include "harness.hpp"

using namespace portico::tests;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::map<std::string, std::string> kEnv = {{"CONTACT_SECRET", "integration-secret-0123"}};

std::string contactConfig(const TempDir& dir, const std::string& extra_plugin = "",
                          const std::string& extra_top = "") {
    return testConfig(dir,
                      R"({"contact": {"secret": "${CONTACT_SECRET}", "min_fill_seconds": 0)" +
                          extra_plugin + "}}",
                      extra_top);
}

std::string tokenFrom(int port, const std::string& path) {
    const auto page = request(port, "GET", path);
    REQUIRE(page.status == 200);
    std::smatch m;
    REQUIRE(std::regex_search(page.body, m, std::regex("name=\"token\" value=\"([^\"]+)\"")));
    return m[1];
}

std::string formBody(const std::string& name, const std::string& token) {
    return "name=" + name + "&email=visitor%40example.com&message=Hello+from+" + name +
           "&consent=yes&website=&token=" + token;
}

Response postForm(int port, const std::string& path, const std::string& body) {
    return request(
        port, "POST", path,
        {{"Content-Type", "application/x-www-form-urlencoded"}, {"User-Agent", "data-test"}}, body);
}

json exportJson(const std::string& config_file) {
    const auto r =
        runPortico({"contact", "export", "--format", "json", "--config", config_file}, kEnv);
    INFO(r.err);
    REQUIRE(r.status == 0);
    return json::parse(r.out);
}

std::multiset<std::string> names(const json& messages) {
    std::multiset<std::string> out;
    for (const auto& m : messages) out.insert(m.at("name").get<std::string>());
    return out;
}

}  // namespace

TEST_CASE("check-config validates the contact plugin without creating a database") {
    TempDir dir;
    const auto file = dir.write("portico.json", contactConfig(dir));
    const auto r = runPortico({"check-config", "--config", file}, kEnv);
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK_FALSE(fs::exists(dir.path() + "/data/portico.db"));
}

TEST_CASE("a message acknowledged with 303 survives kill -9 right after the answer") {
    TempDir dir;
    const std::string config = contactConfig(dir);
    Server first(config, kEnv);
    const auto res = postForm(first.port(), "/en/contact/",
                              formBody("Durable", tokenFrom(first.port(), "/en/contact/")));
    REQUIRE(res.status == 303);
    CHECK(res.header("location") == "/en/contact/thanks/");
    first.process().signal(SIGKILL);
    CHECK(first.process().wait() == 128 + SIGKILL);

    const auto listed = runPortico({"contact", "list", "--config", first.configFile()}, kEnv);
    INFO(listed.err);
    CHECK(listed.status == 0);
    CHECK(listed.out.find("Durable <visitor@example.com>") != std::string::npos);
    CHECK(listed.out.find("1 message\n") != std::string::npos);

    // A restart finds the message and applies no migration twice.
    Server second(config, kEnv);
    const auto again = postForm(second.port(), "/de/kontakt/",
                                formBody("Zweite", tokenFrom(second.port(), "/de/kontakt/")));
    CHECK(again.status == 303);
    CHECK(again.header("location") == "/de/kontakt/danke/");
    const auto all = exportJson(second.configFile());
    CHECK(names(all) == std::multiset<std::string>{"Durable", "Zweite"});
    CHECK(all[1].at("locale") == "de");
    CHECK(all[0].at("user_agent") == "data-test");
}

TEST_CASE("a locked store answers 503 with Retry-After and the visitor's input instead of 303") {
    TempDir dir;
    Server server(contactConfig(dir, "", R"("database": {"busy_timeout_ms": 200})"), kEnv);
    const std::string token = tokenFrom(server.port(), "/en/contact/");
    const std::string db = dir.path() + "/data/portico.db";
    {
        // Another writer holds the database's write lock for as long as it lives.
        Process locker({"/usr/bin/python3", "-u", "-c",
                        "import sqlite3, time\n"
                        "c = sqlite3.connect('" +
                            db +
                            "', isolation_level=None)\n"
                            "c.execute('BEGIN IMMEDIATE')\n"
                            "print('locked')\n"
                            "time.sleep(60)\n"},
                       {}, dir.path());
        REQUIRE(locker.waitForOutput("locked"));
        const auto res = postForm(server.port(), "/en/contact/", formBody("Blocked", token));
        CHECK(res.status == 503);
        CHECK(res.header("retry-after") == "30");
        CHECK(res.body.find("could not be stored just now") != std::string::npos);
        CHECK(res.body.find("value=\"Blocked\"") != std::string::npos);
        CHECK(res.body.find(">Hello from Blocked</textarea>") != std::string::npos);
        CHECK_FALSE(res.has("location"));
    }  // the locker is killed here, releasing the lock
    const auto retry = postForm(server.port(), "/en/contact/", formBody("Blocked", token));
    CHECK(retry.status == 303);
    CHECK(names(exportJson(server.configFile())) == std::multiset<std::string>{"Blocked"});
}

TEST_CASE("a backup taken under write load restores every message acknowledged before it") {
    TempDir dir;
    const std::string config = contactConfig(dir);
    Server server(config, kEnv);
    const int port = server.port();

    std::mutex mutex;
    std::vector<std::string> acknowledged;
    std::atomic<bool> stop{false};
    std::atomic<int> failures{0};
    std::thread writer([&] {
        for (int i = 0; i < 400 && !stop; ++i) {
            const std::string name = "load" + std::to_string(i);
            const auto r =
                postForm(port, "/en/contact/", formBody(name, tokenFrom(port, "/en/contact/")));
            if (r.status != 303) {
                ++failures;
                continue;
            }
            std::lock_guard<std::mutex> lock(mutex);
            acknowledged.push_back(name);
        }
    });
    auto ackedCount = [&] {
        std::lock_guard<std::mutex> lock(mutex);
        return acknowledged.size();
    };
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (ackedCount() < 20 && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    std::vector<std::string> before;
    {
        std::lock_guard<std::mutex> lock(mutex);
        before = acknowledged;
    }
    const std::string backups = dir.path() + "/backups/";
    const auto b = runPortico({"backup", "--out", backups, "--config", server.configFile()}, kEnv);
    const std::size_t during = ackedCount();
    stop = true;
    writer.join();
    INFO(b.err);
    REQUIRE(b.status == 0);
    CHECK(failures == 0);
    REQUIRE(before.size() >= 20);
    INFO("acknowledged before the backup: " << before.size() << ", when it ended: " << during);

    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(backups)) files.push_back(e.path());
    REQUIRE(files.size() == 1);
    const std::string snapshot = files.front().string();

    // Restore is refused while the server uses the data directory.
    const auto refused = runPortico({"restore", snapshot, "--config", server.configFile()}, kEnv);
    CHECK(refused.status == 1);
    CHECK(refused.err.find("a server is using data_dir") != std::string::npos);

    // Into a fresh data directory: every message acknowledged before the backup, once each.
    TempDir other;
    const auto other_file = other.write("portico.json", contactConfig(other));
    const auto restored = runPortico({"restore", snapshot, "--config", other_file}, kEnv);
    INFO(restored.err);
    REQUIRE(restored.status == 0);
    const auto got = names(exportJson(other_file));
    for (const auto& name : before) {
        INFO(name);
        CHECK(got.count(name) == 1);
    }
    CHECK(got.size() >= before.size());
    CHECK(got.size() <= during);
}

TEST_CASE("backup keeps the newest N snapshots, restore refuses a damaged file") {
    TempDir dir;
    Server server(contactConfig(dir), kEnv);
    const std::string backups = dir.path() + "/keep/";
    for (int i = 0; i < 3; ++i) {
        const auto r = runPortico(
            {"backup", "--out", backups, "--keep", "2", "--config", server.configFile()}, kEnv);
        INFO(r.err);
        REQUIRE(r.status == 0);
    }
    std::size_t count = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(backups)) ++count;
    CHECK(count == 2);

    const auto junk = dir.write("junk.db", std::string(8192, 'x'));
    const auto r = runPortico({"restore", junk, "--force", "--config", server.configFile()}, kEnv);
    CHECK(r.status == 1);
    CHECK(r.err.find("restore: \"" + junk + "\": ") != std::string::npos);
    CHECK(r.err.find("not a database") != std::string::npos);
    CHECK(r.err.find("; nothing was changed") != std::string::npos);
}

TEST_CASE("an applied migration whose text changed stops start-up with a clear message") {
    TempDir dir;
    const std::string config = contactConfig(dir);
    {
        Server server(config, kEnv);
        server.process().signal(SIGTERM);
        REQUIRE(server.process().wait() == 0);
    }
    const std::string db = dir.path() + "/data/portico.db";
    Process edit(
        {"/usr/bin/python3", "-c",
         "import sqlite3\n"
         "c = sqlite3.connect('" +
             db +
             "')\n"
             "n = c.execute(\"SELECT COUNT(*) FROM portico_migrations WHERE plugin = "
             "'contact'\").fetchone()[0]\n"
             "c.execute(\"UPDATE portico_migrations SET checksum = 'edited' WHERE plugin = "
             "'contact' AND version = 1\")\n"
             "c.commit()\n"
             "print('migrations', n)\n"},
        {}, dir.path());
    REQUIRE(edit.wait() == 0);
    CHECK(edit.out() == "migrations 4\n");  // recorded once each across the two starts

    const auto file = dir.write("portico.json", config);
    Process p({porticoBin(), "serve", "--config", file}, kEnv, dir.path());
    CHECK(p.wait() == 1);
    CHECK(p.err().find("plugins.contact: start failed: plugins.contact: migration 1 \"create "
                       "contact_messages\" was changed after it was applied") != std::string::npos);
}

TEST_CASE("an SMTP outage delays the owner's notification but does not lose it") {
    TempDir dir;
    const int smtp_port = freePort();
    const std::string notify = R"(, "notify": {"enabled": true, "smtp_port": )" +
                               std::to_string(smtp_port) +
                               R"(, "from": "site@example.com", "to": "owner@example.com",
                                  "interval_ms": 100, "retry_base_ms": 200,
                                  "max_backoff_ms": 400, "timeout_ms": 2000})";
    Server server(contactConfig(dir, notify), kEnv);
    const auto res = postForm(server.port(), "/en/contact/",
                              formBody("Notified", tokenFrom(server.port(), "/en/contact/")));
    REQUIRE(res.status == 303);
    // Nothing listens yet: the first attempts fail and are retried.
    REQUIRE(server.process().waitForOutput("failed (attempt 2)"));

    Process sink({"/usr/bin/python3", "-u", "-m", "aiosmtpd", "-n", "-l",
                  "127.0.0.1:" + std::to_string(smtp_port), "-c", "aiosmtpd.handlers.Debugging"},
                 {{"PYTHONUNBUFFERED", "1"}}, dir.path());
    REQUIRE(server.process().waitForOutput("sent to owner@example.com"));
    const std::string mail = sink.out();
    INFO(mail << sink.err());
    CHECK(mail.find("Subject: Contact form: Notified") != std::string::npos);
    CHECK(mail.find("Reply-To: visitor@example.com") != std::string::npos);
    std::size_t count = 0;
    for (auto at = mail.find("Subject: Contact form: Notified"); at != std::string::npos;
         at = mail.find("Subject: Contact form: Notified", at + 1)) {
        ++count;
    }
    CHECK(count == 1);
}

TEST_CASE("readiness includes the database check and fails when the store file is gone") {
    TempDir dir;
    Server server(testConfig(dir, R"({"health": {"cache_ms": 0},
        "contact": {"secret": "${CONTACT_SECRET}", "min_fill_seconds": 0}})",
                             R"("admin": {"enabled": true, "address": "127.0.0.1", "port": 0})"),
                  kEnv);
    const auto ready = request(server.adminPort(), "GET", "/health/details");
    CHECK(ready.status == 200);
    CHECK(ready.body.find("\"database\"") != std::string::npos);

    fs::remove(dir.path() + "/data/portico.db");
    CHECK(request(server.port(), "GET", "/readyz").status == 503);
    const auto gone = request(server.adminPort(), "GET", "/health/details");
    CHECK(gone.status == 503);
    CHECK(gone.body.find("is missing") != std::string::npos);
}
