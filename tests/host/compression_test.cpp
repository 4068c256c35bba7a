#include "compression.hpp"

#include <brotli/decode.h>
#include <zlib.h>

#include <catch2/catch.hpp>

#include "decode.hpp"

using portico::tests::gunzip;
using portico::tests::unbrotli;
#include <string>

#include "portico/sdk/resource.hpp"

using portico::host::acceptQuality;
using portico::host::addVary;
using portico::host::chooseEncoding;
using portico::host::compressDynamic;
using portico::host::DynamicCompression;
using portico::host::Encoding;

namespace {

// A page-sized HTML answer, like the contact form.
std::string page() {
    std::string html = "<!doctype html><html lang=\"de\"><body><form>";
    for (int i = 0; i < 40; ++i) {
        html += "<label for=\"f" + std::to_string(i) + "\">Feld</label><input id=\"f" +
                std::to_string(i) + "\" name=\"f" + std::to_string(i) + "\">";
    }
    return html + "</form></body></html>";
}

portico::sdk::Response htmlAnswer(int status = 200) {
    portico::sdk::Response res;
    res.send(status, "text/html; charset=utf-8", page());
    return res;
}

}  // namespace

TEST_CASE("accept-encoding q-values are read per coding, with * as the fallback") {
    struct Case {
        const char* header;
        const char* coding;
        double q;
    };
    const Case cases[] = {
        {"gzip, deflate, br", "br", 1.0},
        {"gzip, deflate, br", "gzip", 1.0},
        {"gzip;q=0.5, br;q=0.8", "gzip", 0.5},
        {"GZIP ; q=0.3", "gzip", 0.3},
        {"gzip;q=0", "gzip", 0.0},
        {"br;q=0, *", "br", 0.0},
        {"*", "br", 1.0},
        {"*;q=0", "gzip", 0.0},
        {"identity", "gzip", -1.0},
        {"", "br", -1.0},
    };
    for (const auto& c : cases) {
        INFO(c.header << " / " << c.coding);
        CHECK(acceptQuality(c.header, c.coding) == Approx(c.q));
    }
}

TEST_CASE("brotli is chosen before gzip and a coding refused with q=0 is never chosen") {
    struct Case {
        const char* header;
        bool brotli, gzip;
        Encoding expected;
    };
    const Case cases[] = {
        {"gzip, deflate, br", true, true, Encoding::kBrotli},
        {"br", true, true, Encoding::kBrotli},
        {"gzip", true, true, Encoding::kGzip},
        {"gzip, br;q=0", true, true, Encoding::kGzip},
        {"gzip;q=0", true, true, Encoding::kIdentity},
        {"gzip;q=0, br;q=0", true, true, Encoding::kIdentity},
        {"", true, true, Encoding::kIdentity},
        {"identity", true, true, Encoding::kIdentity},
        {"*", true, true, Encoding::kBrotli},
        {"br, gzip", false, true, Encoding::kGzip},
        {"br", false, true, Encoding::kIdentity},
        {"br, gzip", false, false, Encoding::kIdentity},
    };
    for (const auto& c : cases) {
        INFO(c.header << " brotli " << c.brotli << " gzip " << c.gzip);
        CHECK(chooseEncoding(c.header, c.brotli, c.gzip) == c.expected);
    }
}

TEST_CASE("vary gains a token once, merged with what a plugin set") {
    struct Case {
        std::vector<std::string> before;
        std::string after;
    };
    const Case cases[] = {
        {{}, "Accept-Encoding"},
        {{"Accept-Language, Cookie"}, "Accept-Language, Cookie, Accept-Encoding"},
        {{"Cookie", "Accept-Language"}, "Cookie, Accept-Language, Accept-Encoding"},
        {{"accept-encoding"}, "accept-encoding"},
        {{"Cookie, Accept-Encoding"}, "Cookie, Accept-Encoding"},
        {{"*"}, "*"},
        {{""}, "Accept-Encoding"},
    };
    for (const auto& c : cases) {
        portico::sdk::Headers headers;
        for (const auto& v : c.before) headers.add("Vary", v);
        addVary(headers, "Accept-Encoding");
        INFO(c.after);
        std::vector<std::string> values;
        for (const auto& [name, value] : headers.fields()) {
            if (name == "Vary") values.push_back(value);
        }
        CHECK(values == std::vector<std::string>{c.after});
    }
}

TEST_CASE("a dynamic HTML answer is encoded by what the client accepts and says it varies") {
    const std::string identity = page();
    SECTION("brotli") {
        auto res = htmlAnswer();
        CHECK(compressDynamic("gzip, deflate, br", res) == Encoding::kBrotli);
        CHECK(res.headers.getOr("Content-Encoding", "") == "br");
        CHECK(res.body.size() < identity.size());
        CHECK(unbrotli(res.body) == identity);
        CHECK(res.headers.getOr("Vary", "") == "Accept-Encoding");
    }
    SECTION("gzip") {
        auto res = htmlAnswer();
        CHECK(compressDynamic("gzip", res) == Encoding::kGzip);
        CHECK(res.headers.getOr("Content-Encoding", "") == "gzip");
        CHECK(gunzip(res.body) == identity);
        CHECK(res.headers.getOr("Vary", "") == "Accept-Encoding");
    }
    SECTION("identity still varies") {
        for (const char* accept : {"", "gzip;q=0", "identity"}) {
            INFO(accept);
            auto res = htmlAnswer();
            CHECK(compressDynamic(accept, res) == Encoding::kIdentity);
            CHECK_FALSE(res.headers.has("Content-Encoding"));
            CHECK(res.body == identity);
            CHECK(res.headers.getOr("Vary", "") == "Accept-Encoding");
        }
    }
    SECTION("error pages too") {
        for (int status : {404, 422, 503}) {
            INFO(status);
            auto res = htmlAnswer(status);
            CHECK(compressDynamic("gzip", res) == Encoding::kGzip);
            CHECK(gunzip(res.body) == identity);
        }
    }
    SECTION("at the configured settings") {
        DynamicCompression fast{256, 1, 0};
        auto res = htmlAnswer();
        compressDynamic("br", res, fast);
        CHECK(res.body == portico::sdk::brotliCompress(identity, 0));
        res = htmlAnswer();
        compressDynamic("gzip", res, fast);
        CHECK(res.body == portico::sdk::gzipCompress(identity, 1));
    }
}

TEST_CASE("a strong etag of an encoded answer becomes weak, a weak one stays") {
    const std::pair<const char*, const char*> table[] = {
        {"\"abc\"", "W/\"abc\""},
        {"W/\"abc\"", "W/\"abc\""},
    };
    for (const auto& [before, after] : table) {
        INFO(before);
        auto res = htmlAnswer();
        res.headers.set("ETag", before);
        compressDynamic("br", res);
        CHECK(res.headers.getOr("ETag", "") == after);
        auto plain = htmlAnswer();
        plain.headers.set("ETag", before);
        compressDynamic("", plain);
        CHECK(plain.headers.getOr("ETag", "") == before);  // identity bytes: unchanged
    }
}

TEST_CASE("answers that must not or need not be encoded are left as they are") {
    struct Case {
        const char* name;
        int status;
        const char* type;
        std::string body;
        const char* encoding;  // set by the handler, or null
    };
    const Case cases[] = {
        {"below the minimum size", 200, "text/html", std::string(255, 'a'), nullptr},
        {"not compressible", 200, "image/png", std::string(4096, 'a'), nullptr},
        {"no content type", 200, nullptr, std::string(4096, 'a'), nullptr},
        {"handler encoded it", 200, "text/html", std::string(4096, 'a'), "gzip"},
        {"handler asked for identity", 200, "text/html", std::string(4096, 'a'), "identity"},
        {"304", 304, "text/html", std::string(4096, 'a'), nullptr},
        {"204", 204, "text/html", std::string(4096, 'a'), nullptr},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        portico::sdk::Response res;
        res.status = c.status;
        if (c.type) res.headers.set("Content-Type", c.type);
        if (c.encoding) res.headers.set("Content-Encoding", c.encoding);
        res.body = c.body;
        CHECK(compressDynamic("gzip, br", res) == Encoding::kIdentity);
        CHECK(res.body == c.body);
        CHECK(res.headers.getOr("Content-Encoding", "") == (c.encoding ? c.encoding : ""));
        CHECK_FALSE(res.headers.has("Vary"));
    }
    SECTION("a prebuilt resource is the host's other path") {
        portico::sdk::Response res = htmlAnswer();
        res.resource = std::make_shared<portico::sdk::Resource>();
        CHECK(compressDynamic("br", res) == Encoding::kIdentity);
        CHECK(res.body == page());
    }
    SECTION("256 bytes are enough") {
        portico::sdk::Response res;
        res.send(200, "text/plain", std::string(256, 'a'));
        CHECK(compressDynamic("gzip", res) == Encoding::kGzip);
        CHECK(gunzip(res.body) == std::string(256, 'a'));
    }
}
