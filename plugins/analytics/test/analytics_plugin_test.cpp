#include <catch2/catch.hpp>

#include "portico/sdk/errors.hpp"
#include "portico/testkit/test_host.hpp"

using nlohmann::json;
using portico::testkit::RequestBuilder;
using portico::testkit::TestHost;
using portico::testkit::TestHostOptions;

namespace {

const char* const kPage = "<html><head><title>x</title></head><body>hi</body></html>";

TestHostOptions siteOn(std::vector<std::string> hosts) {
    TestHostOptions options;
    options.base_url = "https://" + hosts.front();
    options.hosts = std::move(hosts);
    return options;
}

std::string built(TestHost& host) {
    portico::sdk::ResourceSpec spec;
    spec.body = kPage;
    spec.content_type = "text/html; charset=utf-8";
    return host.buildResource(spec)->body;
}

}  // namespace

TEST_CASE("prebuilt pages get the provider's script when the site is a tracked domain") {
    struct Row {
        json config;
        std::vector<std::string> site_hosts;
        bool injected;
        const char* snippet;
    };
    const Row rows[] = {
        {{{"provider", "umami"},
          {"script_url", "https://u.example/script.js"},
          {"website_id", "abc"},
          {"domains", {"example.com"}}},
         {"example.com"},
         true,
         "data-website-id=\"abc\" data-domains=\"example.com\" data-do-not-track=\"true\""},
        {{{"provider", "plausible"}, {"domains", {"Example.com"}}},
         {"example.com", "www.example.com"},
         true,
         "<script defer data-domain=\"example.com\" "
         "src=\"https://plausible.io/js/script.js\"></script></head>"},
        {{{"provider", "plausible"}, {"domains", {"example.com"}}}, {"localhost"}, false, ""},
        {{{"provider", "plausible"}, {"domains", {"example.com"}}, {"force", true}},
         {"localhost"},
         true,
         "data-domain=\"example.com\""},
    };
    for (const auto& row : rows) {
        CAPTURE(row.config.dump());
        TestHost host(PORTICO_TEST_PLUGIN_FILE, row.config, siteOn(row.site_hosts));
        std::string body = built(host);
        if (row.injected) {
            CHECK(body.find(row.snippet) != std::string::npos);
            CHECK(host.htmlTransformCount() == 1);
        } else {
            CHECK(body == kPage);
            CHECK(host.htmlTransformCount() == 0);
        }
    }
}

TEST_CASE("HTML answers carry the provider's origin in their CSP, other answers do not") {
    TestHost host(PORTICO_TEST_PLUGIN_FILE, json{{"script_url", "https://u.example/script.js"},
                                                 {"website_id", "abc"},
                                                 {"force", true}});
    auto miss = host.handle(RequestBuilder("GET", "/nope"));  // 404 text/plain
    CHECK_FALSE(miss.headers.has("Content-Security-Policy"));
}

TEST_CASE("incomplete analytics configs are refused with the key at fault") {
    struct Row {
        json config;
        std::vector<std::string> issues;
    };
    const Row rows[] = {
        {json::object(),
         {"script_url: must be an absolute http(s) URL, got \"\"",
          "website_id: is required for provider \"umami\""}},
        {{{"provider", "plausible"}},
         {"domain: is required for provider \"plausible\" (or give domains)"}},
        {{{"provider", "plausible"}, {"domain", "a.example"}, {"script_url", "/js/script.js"}},
         {"script_url: must be an absolute http(s) URL, got \"/js/script.js\""}},
    };
    for (const auto& row : rows) {
        CAPTURE(row.config.dump());
        std::vector<std::string> got;
        try {
            TestHost host(PORTICO_TEST_PLUGIN_FILE, row.config);
        } catch (const portico::sdk::ConfigError& e) {
            for (const auto& i : e.issues()) got.push_back(i.path + ": " + i.message);
        }
        CHECK(got == row.issues);
    }
}

TEST_CASE("the analytics plugin names its script's origin for the privacy page only when active") {
    const json config = {{"provider", "plausible"},
                         {"script_url", "https://Stats.example.net/js/script.js"},
                         {"domains", {"example.com"}}};
    TestHost active(PORTICO_TEST_PLUGIN_FILE, config, siteOn({"example.com"}));
    CHECK(active.siteModel().facts().at("analytics") ==
          json({{"provider", "plausible"},
                {"origin", "https://stats.example.net"},
                {"do_not_track", true}}));
    TestHost idle(PORTICO_TEST_PLUGIN_FILE, config, siteOn({"localhost"}));
    CHECK_FALSE(idle.siteModel().facts().contains("analytics"));
}
