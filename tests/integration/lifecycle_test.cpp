#include <signal.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "harness.hpp"

using namespace portico::tests;

TEST_CASE("SIGTERM lets in-flight requests finish, stops plugins in reverse order, exits 0") {
    TempDir dir;
    std::string log = dir.path() + "/stops.txt";
    Server server(testConfig(dir, R"({"echo": {"stop_log": ")" + log +
                                      R"("}, "alpha": {"prefix": "/a", "stop_log": ")" + log +
                                      R"("}})"));
    auto slow = std::async(std::launch::async,
                           [&] { return request(server.port(), "GET", "/fixture/slow?ms=800"); });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    server.process().signal(SIGTERM);
    auto r = slow.get();
    CHECK(r.status == 200);
    CHECK(r.body == "slept 800");
    CHECK(r.header("connection") == "close");
    CHECK(server.process().wait(std::chrono::seconds(15)) == 0);
    CHECK(readFile(log) == "alpha\necho\n");
    CHECK(server.process().out().find("stopped") != std::string::npos);
    CHECK_THROWS(request(server.port(), "GET", "/fixture"));
}

TEST_CASE("SIGINT stops the server like SIGTERM") {
    TempDir dir;
    Server server(testConfig(dir, R"({"echo": {}})"));
    server.process().signal(SIGINT);
    CHECK(server.process().wait(std::chrono::seconds(15)) == 0);
}

TEST_CASE("SIGHUP swaps in a new config generation, a broken one keeps the old serving") {
    TempDir dir;
    Server server(testConfig(dir, R"({"echo": {"greeting": "first"}})"));
    CHECK(request(server.port(), "GET", "/fixture").body == "first from echo");

    TempDir unused;
    std::string next = testConfig(dir, R"({"echo": {"greeting": "second"}})");
    std::ofstream(server.configFile()) << next;
    server.process().signal(SIGHUP);
    REQUIRE(server.process().waitForOutput("reload complete"));
    CHECK(request(server.port(), "GET", "/fixture").body == "second from echo");

    std::ofstream(server.configFile()) << testConfig(dir, R"({"echo": {"greting": "third"}})");
    server.process().signal(SIGHUP);
    REQUIRE(server.process().waitForOutput("reload failed; the running configuration stays"));
    CHECK(server.process().out().find("unknown key 'greting'; did you mean 'greeting'?") !=
          std::string::npos);
    CHECK(request(server.port(), "GET", "/fixture").body == "second from echo");
}

TEST_CASE("serve refuses a broken config before binding, printing every problem") {
    TempDir dir;
    int port = freePort();
    std::string config = testConfig(dir, R"({"echo": {"greeting": 5, "colour": "red"}})");
    config.replace(config.find("\"port\": 0"), 9, "\"port\": " + std::to_string(port));
    auto file = dir.write("portico.json", config);
    Process p({porticoBin(), "serve", "--config", file}, {}, dir.path());
    int status = p.wait();
    CHECK(status == 1);
    CHECK(p.err().find("plugins.echo.greeting: expected string, got number 5") !=
          std::string::npos);
    CHECK(p.err().find("plugins.echo: unknown key 'colour'") != std::string::npos);
    CHECK(p.out().find("listening") == std::string::npos);
    CHECK_THROWS(rawExchange(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
}

TEST_CASE("serve reports a port in use without crashing") {
    TempDir dir;
    Server first(testConfig(dir, R"({"echo": {}})"));
    TempDir dir2;
    std::string config = testConfig(dir2, R"({"echo": {}})");
    config.replace(config.find("\"port\": 0"), 9, "\"port\": " + std::to_string(first.port()));
    auto file = dir2.write("portico.json", config);
    auto r = runPortico({"serve", "--config", file});
    CHECK(r.status == 1);
    CHECK(r.err.find("cannot listen on 127.0.0.1:" + std::to_string(first.port())) !=
          std::string::npos);
}

TEST_CASE("a listener that cannot bind names its config key") {
    TempDir dir;
    Server first(testConfig(dir, R"({"echo": {}})"));
    const std::string busy = std::to_string(first.port());
    SECTION("listen.port") {
        TempDir dir2;
        std::string config = testConfig(dir2, R"({"echo": {}})");
        config.replace(config.find("\"port\": 0"), 9, "\"port\": " + busy);
        auto file = dir2.write("portico.json", config);
        auto r = runPortico({"serve", "--config", file});
        CHECK(r.status == 1);
        CHECK(r.err.find(file + ": listen.port: cannot listen on 127.0.0.1:" + busy + ": ") !=
              std::string::npos);
    }
    SECTION("admin.port") {
        TempDir dir2;
        auto file =
            dir2.write("portico.json", testConfig(dir2, R"({"echo": {"admin_route": true}})",
                                                  "  \"admin\": {\"port\": " + busy + "}"));
        auto r = runPortico({"serve", "--config", file});
        CHECK(r.status == 1);
        CHECK(r.err.find(file + ": admin.port: cannot listen on 127.0.0.1:" + busy + ": ") !=
              std::string::npos);
    }
}

TEST_CASE("JSON log format writes one object per line, access lines with fields") {
    TempDir dir;
    Server server(testConfig(dir, R"({"echo": {}})", R"(  "log": {"format": "json"})"));
    request(server.port(), "GET", "/fixture", {{"X-Request-Id", "json-1"}});
    REQUIRE(server.process().waitForOutput("\"request_id\":\"json-1\""));
    std::istringstream lines(server.process().out());
    std::string line;
    bool saw_access = false;
    while (std::getline(lines, line)) {
        auto j = nlohmann::json::parse(line);  // every line is JSON
        CHECK(j.contains("time"));
        CHECK(j.contains("level"));
        if (j["logger"] == "access" && j.value("request_id", "") == "json-1") {
            saw_access = true;
            CHECK(j["method"] == "GET");
            CHECK(j["path"] == "/fixture");
            CHECK(j["status"] == 200);
            CHECK(j["bytes"] == 15);
            CHECK(j["client"] == "127.0.0.1");
        }
    }
    CHECK(saw_access);
}

TEST_CASE("a log file is written and rotated at the configured size") {
    TempDir dir;
    std::string file = dir.path() + "/logs/portico.log";
    std::string rotated = dir.path() + "/logs/portico.1.log";  // spdlog keeps the extension
    std::filesystem::create_directories(dir.path() + "/logs");
    Server server(
        testConfig(dir, R"({"echo": {}})",
                   R"(  "log": {"file": ")" + file + R"(", "max_size_mb": 1, "max_files": 2})"));
    // About 1.3 MB of access lines, pipelined on a few connections.
    std::string path = "/fixture/tree/" + std::string(2000, 'p');
    std::string pipelined;
    for (int i = 0; i < 200; ++i) {
        pipelined += "GET " + path + " HTTP/1.1\r\nHost: a\r\n" +
                     (i == 199 ? "Connection: close\r\n" : "") + "\r\n";
    }
    for (int round = 0; round < 3; ++round) {
        auto answers =
            parseResponses(rawExchange(server.port(), pipelined, std::chrono::seconds(3)));
        CHECK(answers.size() == 200);
    }
    CHECK(readFile(rotated).find("[access] GET a /fixture/tree/ppp") != std::string::npos);
    CHECK(std::filesystem::file_size(rotated) <= 1024 * 1024);
    CHECK_FALSE(std::filesystem::exists(dir.path() + "/logs/portico.3.log"));
    CHECK(server.process().out().find("[access] GET a /fixture/tree/") != std::string::npos);
}

TEST_CASE("per-plugin log levels silence one plugin without the others") {
    TempDir dir;
    Server server(testConfig(dir, R"({"echo": {"log_level": "warn"}, "alpha": {"prefix": "/a"}})"));
    auto out = server.process().out();
    CHECK(out.find("[alpha] fixture alpha started") != std::string::npos);
    CHECK(out.find("[echo] fixture echo started") == std::string::npos);
}

TEST_CASE("scheduled tasks run on the host's scheduler, a failing run is logged, not fatal") {
    TempDir dir;
    Server server(testConfig(dir, R"({"echo": {"tick_ms": 20}})"));
    REQUIRE(server.process().waitForOutput(
        "scheduled task echo/tick failed: second tick fails on purpose"));
    int ticks = 0;
    for (int i = 0; i < 500 && ticks < 3; ++i) {
        ticks = std::stoi(request(server.port(), "GET", "/fixture/ticks").body);
        if (ticks < 3) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    CHECK(ticks >= 3);
    server.process().signal(SIGTERM);
    CHECK(server.process().wait() == 0);
}
