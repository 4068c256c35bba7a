// The test kit's TestHost and the real `portico` process run one pipeline: the same requests
// to the same plugin give the same status, headers and body in both. What the transport decides
// before the pipeline runs (framing, a body over a route's limit refused unread with 413, Date,
// Content-Length) is the transport's and not compared.
#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "harness.hpp"
#include "portico/testkit/test_host.hpp"

using namespace portico::tests;
using portico::testkit::RequestBuilder;
using portico::testkit::TestHost;
using portico::testkit::TestHostOptions;

namespace {

const char* const kEchoConfig = R"({"early_header": "X-Early", "transform": true})";

struct Case {
    std::string method;
    std::string target;
    std::map<std::string, std::string> headers;
    std::string body;
};

// Fields the transport writes (framing, date) rather than the pipeline.
const std::set<std::string> kTransportFields = {"date", "content-length", "connection",
                                                "keep-alive", "transfer-encoding"};

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// "name: value" lines of the pipeline's fields, in order; a random error id is masked.
std::vector<std::string> fieldLines(const std::vector<std::pair<std::string, std::string>>& fields,
                                    const std::string& error_id) {
    std::vector<std::string> out;
    for (const auto& [name, value] : fields) {
        const std::string key = lower(name);
        if (kTransportFields.count(key)) continue;
        out.push_back(key + ": " + (key == "x-error-id" ? "<id>" : value));
    }
    return out;
}

std::string maskId(std::string text, const std::string& id) {
    if (id.empty()) return text;
    for (auto pos = text.find(id); pos != std::string::npos; pos = text.find(id, pos)) {
        text.replace(pos, id.size(), "<id>");
    }
    return text;
}

}  // namespace

TEST_CASE("the test kit answers every request exactly as the portico process does") {
    TempDir dir;
    Server server(testConfig(dir, std::string(R"({"echo": )") + kEchoConfig + "}"));
    TestHostOptions options;
    options.base_url = "http://localhost";
    options.hosts = {};
    TestHost kit(fixtureDir() + "/echo.so", nlohmann::json::parse(kEchoConfig), options);

    const std::string etag =
        kit.handle(RequestBuilder("GET", "/fixture/doc")).headers.getOr("ETag", "");
    REQUIRE(!etag.empty());
    const std::vector<Case> cases = {
        {"GET", "/fixture", {}, ""},
        {"HEAD", "/fixture", {}, ""},
        {"GET", "/nothing-here", {}, ""},
        {"DELETE", "/fixture", {}, ""},
        {"GET", "/fixture/echo", {}, ""},
        {"POST", "/fixture/echo", {{"Content-Type", "text/plain"}}, "ping"},
        {"GET", "/fixture/boom", {}, ""},
        {"GET", "/fixture/teapot", {}, ""},
        {"GET", "/fixture/tree/a/b%20c", {}, ""},
        {"GET", "/fixture/html", {}, ""},
        {"GET", "/fixture/dyndoc", {{"Accept-Encoding", "gzip"}}, ""},
        {"GET", "/fixture/dyndoc", {{"Accept-Encoding", "br;q=1, gzip;q=0.5"}}, ""},
        {"HEAD", "/fixture/dyndoc", {{"Accept-Encoding", "gzip"}}, ""},
        {"GET", "/fixture/doc", {}, ""},
        {"GET", "/fixture/doc", {{"Accept-Encoding", "br"}}, ""},
        {"GET", "/fixture/doc", {{"If-None-Match", etag}}, ""},
        {"GET", "/fixture/doc", {{"If-None-Match", "\"other\", " + etag}}, ""},
        {"GET", "/fixture/doc", {{"If-None-Match", "\"other\""}}, ""},
        {"GET", "/fixture/doc", {{"If-None-Match", "*"}}, ""},
        {"GET", "/fixture", {{"X-Early", "1"}}, ""},
        {"GET", "/fixture/page", {{"Accept-Encoding", "gzip"}}, ""},
    };
    for (const auto& c : cases) {
        CAPTURE(c.method, c.target, c.headers, c.body);
        auto headers = c.headers;
        headers["X-Request-Id"] = "parity-0001";
        const Response real = request(server.port(), c.method, c.target, headers, c.body);

        RequestBuilder builder(c.method, c.target);
        builder.header("Host", "localhost");
        for (const auto& [name, value] : headers) builder.header(name, value);
        if (!c.body.empty() || c.method == "POST") builder.body(c.body);
        const auto kit_response = kit.handle(builder);

        CHECK(kit_response.status == real.status);
        // The real response's fields, in the order they came, from the parsed multimap's
        // insertion order per name; compare as sorted lists of lines.
        std::vector<std::pair<std::string, std::string>> real_fields(real.headers.begin(),
                                                                     real.headers.end());
        auto real_lines = fieldLines(real_fields, real.header("x-error-id"));
        auto kit_lines =
            fieldLines(kit_response.headers.fields(), kit_response.headers.getOr("X-Error-Id", ""));
        std::sort(real_lines.begin(), real_lines.end());
        std::sort(kit_lines.begin(), kit_lines.end());
        CHECK(kit_lines == real_lines);
        CHECK(maskId(kit_response.body, kit_response.headers.getOr("X-Error-Id", "")) ==
              maskId(real.body, real.header("x-error-id")));
    }
}
