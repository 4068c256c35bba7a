#include <catch2/catch.hpp>

#include "decode.hpp"

using portico::tests::gunzip;
using portico::tests::unbrotli;

#include <brotli/decode.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "portico/sdk/resource.hpp"

using portico::sdk::Encodings;
using portico::sdk::HtmlTransform;
using portico::sdk::ResourceSpec;
using portico::sdk::TransformInfo;

namespace {

std::string repetitiveHtml() {
    std::string html = "<!doctype html><html><body>";
    for (int i = 0; i < 200; ++i) {
        html += "<p>Willkommen bei Portico, item " + std::to_string(i) + "</p>";
    }
    return html + "</body></html>";
}

// A context that only builds resources (the one call `buildResources` makes): each build records
// its thread, and the first two wait until two threads are building, so the test sees the
// builds overlap without timing anything.
class BuildingContext final : public portico::sdk::Context {
public:
    std::shared_ptr<const portico::sdk::Resource> buildResource(ResourceSpec spec) const override {
        if (spec.body == "throw") throw std::runtime_error("build failed on purpose");
        {
            std::unique_lock<std::mutex> lock(mutex_);
            threads_.insert(std::this_thread::get_id());
            if (++entered_ <= 2) {
                changed_.notify_all();
                changed_.wait_for(lock, std::chrono::seconds(5),
                                  [&] { return threads_.size() >= 2; });
            }
        }
        ++built_;
        return portico::sdk::makeResource(std::move(spec), {});
    }
    std::size_t threadCount() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return threads_.size();
    }
    int built() const { return built_; }

    const std::string& pluginId() const override { throw std::logic_error("unused"); }
    const nlohmann::json& config() const override { throw std::logic_error("unused"); }
    std::shared_ptr<spdlog::logger> logger() const override { throw std::logic_error("unused"); }
    portico::sdk::metrics::Registry& metrics() override { throw std::logic_error("unused"); }
    const portico::sdk::Clock& clock() const override { throw std::logic_error("unused"); }
    portico::sdk::Scheduler& scheduler() override { throw std::logic_error("unused"); }
    const portico::sdk::SiteInfo& site() const override { throw std::logic_error("unused"); }
    portico::sdk::Hooks& hooks() override { throw std::logic_error("unused"); }
    const portico::sdk::HostStatus& status() const override { throw std::logic_error("unused"); }
    portico::sdk::SiteModel& siteModel() override { throw std::logic_error("unused"); }
    portico::sdk::DataStore& data() override { throw std::logic_error("unused"); }

private:
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    mutable std::set<std::thread::id> threads_;
    mutable int entered_ = 0;
    mutable std::atomic<int> built_{0};
};

}  // namespace

TEST_CASE("compressible resources get gzip and brotli variants that round-trip", "[resource]") {
    ResourceSpec spec;
    spec.body = repetitiveHtml();
    spec.content_type = "text/html; charset=utf-8";
    auto res = portico::sdk::makeResource(spec, {});
    CHECK(res->body == spec.body);
    REQUIRE_FALSE(res->gzip.empty());
    REQUIRE_FALSE(res->brotli.empty());
    CHECK(res->gzip.size() < res->body.size());
    CHECK(res->brotli.size() < res->body.size());
    CHECK(res->gzip.substr(0, 2) == "\x1f\x8b");  // a gzip member, not a raw zlib stream
    CHECK(gunzip(res->gzip) == res->body);
    CHECK(unbrotli(res->brotli) == res->body);
}

TEST_CASE("gzip and brotli compress at every level the caller asks for and round-trip",
          "[resource]") {
    const std::string body = repetitiveHtml();
    for (int level : {1, 5, 6, 9}) {
        INFO("gzip level " << level);
        const std::string gz = portico::sdk::gzipCompress(body, level);
        CHECK(gz.substr(0, 2) == "\x1f\x8b");
        CHECK(gz.size() < body.size());
        CHECK(gunzip(gz) == body);
        CHECK(portico::sdk::gzipCompress(body, level) == gz);  // same bytes every time
    }
    for (int quality : {0, 4, 5, 11}) {
        INFO("brotli quality " << quality);
        const std::string br = portico::sdk::brotliCompress(body, quality);
        CHECK(br.size() < body.size());
        CHECK(unbrotli(br) == body);
        CHECK(portico::sdk::brotliCompress(body, quality) == br);
    }
    // The best settings are the ones makeResource uses for prebuilt variants.
    ResourceSpec spec;
    spec.body = body;
    spec.content_type = "text/html";
    auto res = portico::sdk::makeResource(spec, {});
    CHECK(res->gzip == portico::sdk::gzipCompress(body, portico::sdk::kGzipBestLevel));
    CHECK(res->brotli == portico::sdk::brotliCompress(body, portico::sdk::kBrotliBestQuality));
    CHECK(unbrotli(portico::sdk::brotliCompress("", 4)).empty());
}

TEST_CASE("a compression level out of range is refused with the value in the message",
          "[resource]") {
    CHECK_THROWS_WITH(portico::sdk::gzipCompress("x", 0), "gzip: level must be 1 to 9, got 0");
    CHECK_THROWS_WITH(portico::sdk::gzipCompress("x", 10), "gzip: level must be 1 to 9, got 10");
    CHECK_THROWS_WITH(portico::sdk::brotliCompress("x", -1),
                      "brotli: quality must be 0 to 11, got -1");
    CHECK_THROWS_WITH(portico::sdk::brotliCompress("x", 12),
                      "brotli: quality must be 0 to 11, got 12");
}

TEST_CASE("variants are left empty when compression does not pay", "[resource]") {
    SECTION("a tiny body") {
        ResourceSpec spec;
        spec.body = "ok";
        spec.content_type = "text/plain; charset=utf-8";
        auto res = portico::sdk::makeResource(spec, {});
        CHECK(res->gzip.empty());
        CHECK(res->body == "ok");
    }
    SECTION("an incompressible type") {
        ResourceSpec spec;
        spec.body = std::string(4096, 'a');
        spec.content_type = "image/png";
        auto res = portico::sdk::makeResource(spec, {});
        CHECK(res->gzip.empty());
        CHECK(res->brotli.empty());
    }
    SECTION("an empty body") {
        ResourceSpec spec;
        spec.content_type = "text/css";
        auto res = portico::sdk::makeResource(spec, {});
        CHECK(res->gzip.empty());
        CHECK(res->brotli.empty());
        CHECK(res->etag.size() == 34);
    }
}

TEST_CASE("the ETag is a strong quoted hash of the final body", "[resource]") {
    ResourceSpec a;
    a.body = "hello";
    a.content_type = "text/plain";
    ResourceSpec b = a;
    ResourceSpec c = a;
    c.body = "hello!";
    auto ra = portico::sdk::makeResource(a, {});
    auto rb = portico::sdk::makeResource(b, {});
    auto rc = portico::sdk::makeResource(c, {});
    // First 16 bytes of SHA-1("hello").
    CHECK(ra->etag == "\"aaf4c61ddcc5e8a2dabede0f3b482cd9\"");
    CHECK(ra->etag == rb->etag);
    CHECK(ra->etag != rc->etag);
}

TEST_CASE("HTML transforms run in order and only for HTML", "[resource]") {
    std::vector<HtmlTransform> transforms = {
        [](std::string html, const TransformInfo& info) { return html + "[1:" + info.path + "]"; },
        [](std::string html, const TransformInfo& info) {
            return html + "[2:" + info.locale + "]";
        },
    };
    ResourceSpec html;
    html.body = "<p>x</p>";
    html.content_type = "Text/HTML; charset=utf-8";
    html.info = {"/de/", "de"};
    auto transformed = portico::sdk::makeResource(html, transforms);
    CHECK(transformed->body == "<p>x</p>[1:/de/][2:de]");

    ResourceSpec css = html;
    css.content_type = "text/css";
    CHECK(portico::sdk::makeResource(css, transforms)->body == "<p>x</p>");

    ResourceSpec plain;
    plain.body = "<p>x</p>[1:/de/][2:de]";
    plain.content_type = "text/plain";
    CHECK(portico::sdk::makeResource(plain, {})->etag == transformed->etag);
}

TEST_CASE("cache policy and last modified are carried over", "[resource]") {
    ResourceSpec spec;
    spec.body = "x";
    spec.content_type = "text/plain";
    CHECK(portico::sdk::makeResource(spec, {})->cache_control == "no-cache");
    spec.cache_control = "public, max-age=31536000, immutable";
    spec.last_modified = "Sun, 06 Nov 1994 08:49:37 GMT";
    auto res = portico::sdk::makeResource(spec, {});
    CHECK(res->cache_control == "public, max-age=31536000, immutable");
    CHECK(res->last_modified == "Sun, 06 Nov 1994 08:49:37 GMT");
    CHECK(res->content_type == "text/plain");
}

TEST_CASE("compressibility follows the media type", "[resource]") {
    const std::pair<const char*, bool> table[] = {
        {"text/html; charset=utf-8", true},
        {"TEXT/CSS", true},
        {"application/json", true},
        {"application/manifest+json; charset=utf-8", true},
        {"application/javascript", true},
        {"application/xml", true},
        {"application/rss+xml", true},
        {"image/svg+xml", true},
        {"image/png", false},
        {"font/woff2", false},
        {"application/pdf", false},
        {"application/octet-stream", false},
        {"", false},
    };
    for (const auto& [type, expected] : table) {
        INFO(type);
        CHECK(portico::sdk::isCompressible(type) == expected);
    }
}

TEST_CASE("content types are chosen by extension", "[resource]") {
    const std::pair<const char*, const char*> table[] = {
        {"index.html", "text/html; charset=utf-8"},
        {"a.css", "text/css; charset=utf-8"},
        {"app.js", "text/javascript; charset=utf-8"},
        {"mod.mjs", "text/javascript; charset=utf-8"},
        {"data.json", "application/json; charset=utf-8"},
        {"feed.xml", "application/xml; charset=utf-8"},
        {"robots.txt", "text/plain; charset=utf-8"},
        {"logo.svg", "image/svg+xml; charset=utf-8"},
        {"/static/img/photo.PNG", "image/png"},
        {"p.jpg", "image/jpeg"},
        {"p.jpeg", "image/jpeg"},
        {"a.gif", "image/gif"},
        {"a.webp", "image/webp"},
        {"a.avif", "image/avif"},
        {"favicon.ico", "image/x-icon"},
        {"f.woff", "font/woff"},
        {"f.woff2", "font/woff2"},
        {"doc.pdf", "application/pdf"},
        {"site.webmanifest", "application/manifest+json; charset=utf-8"},
        {"app.js.map", "application/json; charset=utf-8"},
        {"README.md", "text/markdown; charset=utf-8"},
        {"archive.tar.zz", "application/octet-stream"},
        {"Makefile", "application/octet-stream"},
        {".hidden", "application/octet-stream"},
        {"dir.v2/file", "application/octet-stream"},
    };
    for (const auto& [name, type] : table) {
        INFO(name);
        CHECK(portico::sdk::contentTypeFor(name) == type);
    }
}

TEST_CASE("HTTP dates are IMF-fixdate in GMT", "[resource]") {
    CHECK(portico::sdk::httpDate(784111777) == "Sun, 06 Nov 1994 08:49:37 GMT");
    CHECK(portico::sdk::httpDate(0) == "Thu, 01 Jan 1970 00:00:00 GMT");
    CHECK(portico::sdk::httpDate(1767225600) == "Thu, 01 Jan 2026 00:00:00 GMT");
    CHECK(portico::sdk::httpDate(951782400) == "Tue, 29 Feb 2000 00:00:00 GMT");
}

TEST_CASE(
    "makeResource takes its encodings from the source it is given, each kept only when it "
    "is smaller",
    "[resource]") {
    ResourceSpec spec;
    spec.body = repetitiveHtml();
    spec.content_type = "text/html";
    std::vector<std::string> asked;
    auto res = portico::sdk::makeResource(spec, {}, [&](const std::string& body) {
        asked.push_back(body);
        return Encodings{"gz", std::string(body.size(), 'b')};
    });
    CHECK(asked == std::vector<std::string>{spec.body});
    CHECK(res->gzip == "gz");
    CHECK(res->brotli.empty());  // as large as the body: not worth sending

    spec.content_type = "image/png";
    asked.clear();
    portico::sdk::makeResource(spec, {}, [&](const std::string& body) {
        asked.push_back(body);
        return Encodings{};
    });
    CHECK(asked.empty());  // an incompressible type is never encoded

    spec.content_type = "text/html";
    const auto best = portico::sdk::bestEncodings(spec.body);
    CHECK(portico::sdk::makeResource(spec, {}, {})->brotli == best.brotli);
    CHECK(portico::sdk::makeResource(spec, {})->gzip == best.gzip);
}

TEST_CASE("the best encodings name their coders and settings", "[resource]") {
    const std::string version = portico::sdk::bestEncodingsVersion();
    CHECK(version.rfind("zlib ", 0) == 0);
    CHECK(version.find(" level 9, brotli ") != std::string::npos);
    CHECK(version.find(" quality 11") != std::string::npos);
}

TEST_CASE("buildResources builds every spec on several threads and keeps their order",
          "[resource]") {
    std::vector<ResourceSpec> specs(40);
    for (std::size_t i = 0; i < specs.size(); ++i) {
        specs[i].body = "<p>page " + std::to_string(i) + "</p>" + repetitiveHtml();
        specs[i].content_type = "text/html";
    }
    const auto expected = specs;
    BuildingContext ctx;
    const auto built = portico::sdk::buildResources(ctx, specs, 2);
    REQUIRE(built.size() == expected.size());
    for (std::size_t i = 0; i < built.size(); ++i) {
        INFO(i);
        CHECK(built[i]->body == expected[i].body);
        CHECK(unbrotli(built[i]->brotli) == expected[i].body);
    }
    CHECK(ctx.threadCount() == 2);
    CHECK(portico::sdk::buildResources(ctx, {}, 2).empty());
}

TEST_CASE("buildResources finishes the other builds, then rethrows the first failure",
          "[resource]") {
    std::vector<ResourceSpec> specs(6);
    for (auto& spec : specs) spec.content_type = "text/plain";
    specs[2].body = "throw";
    BuildingContext ctx;
    CHECK_THROWS_WITH(portico::sdk::buildResources(ctx, specs, 2), "build failed on purpose");
    CHECK(ctx.built() == 5);
}
