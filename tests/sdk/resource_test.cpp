#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <brotli/decode.h>
#include <zlib.h>

#include "portico/sdk/resource.hpp"

using portico::sdk::HtmlTransform;
using portico::sdk::ResourceSpec;
using portico::sdk::TransformInfo;

namespace {

std::string gunzip(const std::string& data) {
    z_stream stream{};
    REQUIRE(inflateInit2(&stream, 15 + 16) == Z_OK);  // gzip wrapper only
    std::string out(1 << 20, '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int rc = inflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    inflateEnd(&stream);
    REQUIRE(rc == Z_STREAM_END);
    return out;
}

std::string unbrotli(const std::string& data) {
    std::string out(1 << 20, '\0');
    std::size_t size = out.size();
    REQUIRE(BrotliDecoderDecompress(data.size(), reinterpret_cast<const uint8_t*>(data.data()),
                                    &size, reinterpret_cast<uint8_t*>(out.data())) ==
            BROTLI_DECODER_RESULT_SUCCESS);
    out.resize(size);
    return out;
}

std::string repetitiveHtml() {
    std::string html = "<!doctype html><html><body>";
    for (int i = 0; i < 200; ++i) {
        html += "<p>Willkommen bei Portico, item " + std::to_string(i) + "</p>";
    }
    return html + "</body></html>";
}

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
