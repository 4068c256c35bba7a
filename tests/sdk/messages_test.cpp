#include "portico/sdk/messages.hpp"

#include <catch2/catch.hpp>

#include "temp_folder.hpp"

using nlohmann::json;
using portico::sdk::acceptLanguageMatch;
using portico::sdk::ConfigIssue;
using portico::sdk::Messages;
using portico::sdk::pickLanguage;

namespace {

std::vector<std::string> describe(const std::vector<ConfigIssue>& issues) {
    std::vector<std::string> out;
    for (const auto& i : issues) {
        out.push_back(i.file + ":" + std::to_string(i.line) + ": " +
                      (i.path.empty() ? "" : i.path + ": ") + i.message);
    }
    return out;
}

}  // namespace

TEST_CASE("the Accept-Language match goes by q, then order, and by language prefix") {
    const std::vector<std::string> locales = {"de", "en"};
    struct Row {
        const char* accept;
        const char* locale;
    };
    const Row rows[] = {
        {"de", "de"},
        {"en-GB,en;q=0.9", "en"},
        {"fr, en;q=0.5, de;q=0.8", "de"},
        {"EN-us", "en"},
        {"de-AT;q=0.3, en;q=0.3", "de"},
        {"de;q=0, en;q=0.1", "en"},
        {"de;q=0", ""},
        {"*", ""},
        {"fr", ""},
        {"", ""},
        {"  de  ;  q=0.5 , ", "de"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.accept);
        CHECK(acceptLanguageMatch(row.accept, locales) == row.locale);
    }
    CHECK(acceptLanguageMatch("pt", {"pt-BR"}) == "pt-BR");
}

TEST_CASE(
    "the visitor's language comes from the path prefix, then Accept-Language, then the default") {
    const std::vector<std::string> locales = {"de", "en"};
    struct Row {
        const char* path;
        const char* accept;
        const char* language;
    };
    const Row rows[] = {
        {"/en/contact/", "de", "en"}, {"/de", "en", "de"}, {"/de/", "", "de"},
        {"/deutsch/", "en", "en"},    {"/fr/", "", "de"},  {"/contact", "en-US", "en"},
        {"/contact", "fr", "de"},     {"/", "", "de"},     {"", "en", "en"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.path, row.accept);
        CHECK(pickLanguage(row.path, row.accept, locales, "de") == row.language);
    }
}

TEST_CASE(
    "a text is looked up in the language, then the default, then any catalog, then shows its key") {
    Messages messages("en");
    CHECK(messages.add("en", json{{"a", "A"}, {"nav", {{"home", "Home"}}}, {"only_en", "E"}})
              .empty());
    CHECK(messages.add("de", json{{"a", "Ä"}, {"nav", {{"home", "Start"}}}, {"only_de", "D"}})
              .empty());
    struct Row {
        const char* locale;
        const char* key;
        const char* text;
    };
    const Row rows[] = {
        {"de", "a", "Ä"},
        {"en", "a", "A"},
        {"de", "nav.home", "Start"},
        {"de", "only_en", "E"},
        {"fr", "a", "A"},
        {"en", "only_de", "D"},
        {"de", "missing.key", "missing.key"},
        {"de", "nav", "nav"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.locale, row.key);
        CHECK(messages.text(row.locale, row.key) == row.text);
    }
    CHECK(messages.locales() == std::vector<std::string>{"en", "de"});
    CHECK(messages.resolve("de") == "de");
    CHECK(messages.resolve("fr") == "en");
    CHECK(messages.has("de", "nav.home"));
    CHECK_FALSE(messages.has("de", "nav"));
    CHECK(messages.catalog("de")["nav"]["home"] == "Start");
    CHECK(messages.texts("fr").empty());
}

TEST_CASE("placeholders are filled in and unknown ones are kept") {
    Messages messages("en");
    messages.add("en", json{{"retry", "Try again in {seconds} s."}, {"two", "{a}{b}{a} {c} {"}});
    struct Row {
        const char* key;
        std::vector<std::pair<std::string, std::string>> args;
        const char* text;
    };
    const Row rows[] = {
        {"retry", {{"seconds", "30"}}, "Try again in 30 s."},
        {"retry", {}, "Try again in {seconds} s."},
        {"two", {{"a", "1"}, {"b", "<2>"}}, "1<2>1 {c} {"},
        {"none", {{"a", "1"}}, "none"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.key);
        CHECK(messages.format("en", row.key, row.args) == row.text);
    }
}

TEST_CASE(
    "adding a catalog replaces texts under the same keys and names leaves that are not strings") {
    Messages messages;
    messages.add("en", json{{"a", "A"}, {"b", "B"}});
    auto issues = messages.add("en", json{{"a", "A2"}, {"n", 3}, {"x", {{"y", json::array()}}}});
    CHECK(describe(issues) == std::vector<std::string>{":0: n: \"n\" must be a string",
                                                       ":0: x.y: \"x.y\" must be a string"});
    CHECK(messages.text("en", "a") == "A2");
    CHECK(messages.text("en", "b") == "B");
    CHECK(describe(messages.add("de", json::array())) ==
          std::vector<std::string>{":0: must be a JSON object of strings"});
}

TEST_CASE("catalog files load with every problem named by file and line") {
    portico::tests::TempFolder dir;
    dir.write("en.json", R"({"nav": {"home": "Home", "about": "About"}, "title": "T"})");
    dir.write("de.json", R"({"nav": {"home": "Start"}, "title": "T", "extra": "X"})");
    dir.write("fr.json", "{\n  \"title\": \"T\",\n  oops\n}");
    dir.write("it.json", R"(["not", "an", "object"])");
    dir.write("es.json", R"({"title": 1})");
    Messages messages("en");
    auto issues = messages.load(dir.path(), "www/locales", {"en", "de", "fr", "it", "nl", "es"});
    CHECK(
        describe(issues) ==
        std::vector<std::string>{
            "www/locales/fr.json:3: invalid JSON: parse error at line 3, column 3: syntax error "
            "while parsing object key - invalid literal; last read: '\"T\",<U+000A>  o'; expected "
            "string literal",
            "www/locales/it.json:1: must be a JSON object of strings",
            "www/locales/nl.json:0: catalog for locale \"nl\" not found",
            "www/locales/es.json:0: \"title\" must be a string",
            "www/locales/en.json:0: string \"extra\" is missing (it is in www/locales/de.json)",
            "www/locales/es.json:0: string \"extra\" is missing (it is in www/locales/de.json)",
            "www/locales/es.json:0: string \"nav.home\" is missing (it is in www/locales/de.json)",
            "www/locales/es.json:0: string \"title\" is missing (it is in www/locales/de.json)",
            "www/locales/de.json:0: string \"nav.about\" is missing (it is in www/locales/en.json)",
            "www/locales/es.json:0: string \"nav.about\" is missing (it is in www/locales/en.json)",
        });
    CHECK(messages.text("de", "nav.home") == "Start");
    CHECK(messages.text("de", "nav.about") == "About");
    CHECK(messages.catalog("en")["nav"]["about"] == "About");
}
