#include "config.hpp"

#include <catch2/catch.hpp>

using namespace portico::plugins::studio;
using nlohmann::json;

namespace {

json block(json extra = json::object()) {
    json b = {{"host", "studio.example.com"},
              {"root", ""},
              {"locales", json::array()},
              {"noindex", true},
              {"strings", json::object()}};
    b.update(extra);
    return b;
}

std::vector<std::string> problems(const json& b) {
    portico::sdk::ConfigErrors errors;
    readConfig(b, {"de", "en"}, errors);
    try {
        errors.throwIfAny();
    } catch (const portico::sdk::ConfigError& e) {
        std::vector<std::string> out;
        for (const auto& issue : e.issues()) out.push_back(issue.path + ": " + issue.message);
        return out;
    }
    return {};
}

}  // namespace

TEST_CASE("the host is lower-cased and the locales default to the site's") {
    portico::sdk::ConfigErrors errors;
    auto c = readConfig(block({{"host", "Studio.Example.COM"}}), {"de", "en"}, errors);
    CHECK(errors.empty());
    CHECK(c.host == "studio.example.com");
    CHECK(c.locales == std::vector<std::string>{"de", "en"});
    CHECK(c.noindex);
}

TEST_CASE("host names are plain DNS names without scheme, port or path") {
    const std::vector<std::pair<std::string, bool>> cases = {
        {"studio.localhost", true}, {"studio", true},         {"a-b.example.com", true},
        {"http://studio.x", false}, {"studio.x:8080", false}, {"studio.x/", false},
        {"-studio.x", false},       {"studio-.x", false},     {"studio..x", false},
        {".studio.x", false},       {"studio x", false},      {"", false},
    };
    for (const auto& [host, ok] : cases) {
        INFO(host);
        CHECK(validHostName(host) == ok);
    }
}

TEST_CASE("a bad host, duplicate locales and strings for a locale not served are all reported") {
    CHECK(problems(block({{"host", "studio.example.com:8080"},
                          {"locales", {"en", "en"}},
                          {"strings", {{"fr", {{"heading", "Bonjour"}}}}}})) ==
          std::vector<std::string>{
              "host: must be a host name without scheme, port or path, got "
              "\"studio.example.com:8080\"",
              "locales[1]: duplicate locale \"en\"",
              "strings.fr: not a locale of the studio site; use one of \"en\", \"en\""});
}
