// Decoding, scaling and encoding with Debian's libraries, the variant plan, the on-disk cache
// and the markup data: the image pipeline without the plugin around it.
#include <avif/avif.h>
#include <webp/decode.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "assets.hpp"
#include "image_codec.hpp"
#include "images.hpp"
#include "picture.hpp"
#include "portico/sdk/file_cache.hpp"
#include "portico/sdk/fingerprint.hpp"
#include "temp_folder.hpp"

namespace fs = std::filesystem;
using namespace portico::plugins::pages;

namespace {

// A diagonal gradient with a red square in the top-left quarter.
Raster picture(int width, int height, bool alpha = false) {
    Raster r;
    r.width = width;
    r.height = height;
    r.alpha = alpha;
    r.rgba.resize(static_cast<std::size_t>(width) * height * 4);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            auto* p = &r.rgba[(static_cast<std::size_t>(y) * width + x) * 4];
            const bool square = x < width / 4 && y < height / 4;
            p[0] = square ? 220 : static_cast<std::uint8_t>(x * 255 / width);
            p[1] = square ? 20 : static_cast<std::uint8_t>(y * 255 / height);
            p[2] = square ? 20 : 128;
            p[3] = alpha && x > width / 2 ? 100 : 255;
        }
    }
    return r;
}

Asset assetOf(const std::string& rel, const std::string& body) {
    Asset a;
    a.rel = rel;
    a.body = body;
    a.url =
        "/assets/" + portico::sdk::fingerprintedName(rel, portico::sdk::contentFingerprint(body));
    auto ext = rel.substr(rel.rfind('.') + 1);
    auto size = imageSize(body, ext);
    REQUIRE(size);
    a.width = size->first;
    a.height = size->second;
    return a;
}

std::pair<int, int> avifSize(const std::string& bytes) {
    std::unique_ptr<avifDecoder, void (*)(avifDecoder*)> decoder(avifDecoderCreate(),
                                                                 avifDecoderDestroy);
    REQUIRE(avifDecoderSetIOMemory(decoder.get(), reinterpret_cast<const uint8_t*>(bytes.data()),
                                   bytes.size()) == AVIF_RESULT_OK);
    REQUIRE(avifDecoderParse(decoder.get()) == AVIF_RESULT_OK);
    REQUIRE(avifDecoderNextImage(decoder.get()) == AVIF_RESULT_OK);  // really decodes
    return {static_cast<int>(decoder->image->width), static_cast<int>(decoder->image->height)};
}

std::pair<int, int> webpSize(const std::string& bytes) {
    int w = 0, h = 0;
    REQUIRE(WebPGetInfo(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), &w, &h));
    return {w, h};
}

}  // namespace

TEST_CASE("jpeg and png files decode to the pixels they were encoded from") {
    const Raster source = picture(64, 48);
    SECTION("png is lossless") {
        const std::string png = encodeImage(source, ImageFormat::kPng, 80);
        CHECK(imageSize(png, "png") == std::make_pair(64, 48));
        const Raster back = decodeImage(png, ImageFormat::kPng);
        CHECK(back.width == 64);
        CHECK(back.height == 48);
        CHECK_FALSE(back.alpha);
        CHECK(back.rgba == source.rgba);
    }
    SECTION("png keeps transparency") {
        const Raster back = decodeImage(encodeImage(picture(64, 48, true), ImageFormat::kPng, 80),
                                        ImageFormat::kPng);
        CHECK(back.alpha);
        CHECK(back.rgba[(10 * 64 + 60) * 4 + 3] == 100);
    }
    SECTION("jpeg is close") {
        const std::string jpeg = encodeImage(source, ImageFormat::kJpeg, 90);
        CHECK(imageSize(jpeg, "jpg") == std::make_pair(64, 48));
        const Raster back = decodeImage(jpeg, ImageFormat::kJpeg);
        REQUIRE(back.width == 64);
        REQUIRE(back.height == 48);
        const auto* red = &back.rgba[(4 * 64 + 4) * 4];
        CHECK(red[0] > 180);
        CHECK(red[1] < 70);
        CHECK(red[3] == 255);
    }
}

TEST_CASE("broken image files are errors with the decoder's reason, never a crash") {
    const std::string jpeg = encodeImage(picture(64, 48), ImageFormat::kJpeg, 90);
    const std::string png = encodeImage(picture(64, 48), ImageFormat::kPng, 90);
    struct Case {
        const char* name;
        std::string bytes;
        ImageFormat format;
        const char* reason;
    };
    const Case cases[] = {
        {"empty jpeg", "", ImageFormat::kJpeg, "empty input file"},
        {"png bytes named .jpg", png, ImageFormat::kJpeg, "not a jpeg file: starts with 0x89 0x50"},
        {"text named .png", "hello, world", ImageFormat::kPng, "png"},
        {"truncated png", png.substr(0, png.size() / 2), ImageFormat::kPng, ""},
        {"jpeg header only", jpeg.substr(0, 200), ImageFormat::kJpeg, ""},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        try {
            decodeImage(c.bytes, c.format);
            // A truncated JPEG's missing rows are filled by libjpeg-turbo with a warning; that
            // is the only case allowed to decode.
            CHECK(std::string(c.name) == "jpeg header only");
        } catch (const ImageError& e) {
            CHECK(std::string(e.what()).find(c.reason) != std::string::npos);
            CHECK_FALSE(std::string(e.what()).empty());
        }
    }
}

TEST_CASE("an image over the pixel limit is refused from its header") {
    // A valid PNG header claiming 20000 x 20000 pixels, without the pixels.
    Raster small = picture(8, 8);
    std::string png = encodeImage(small, ImageFormat::kPng, 80);
    png[16] = 0, png[17] = 0, png[18] = 0x4e, png[19] = 0x20;  // width 20000
    png[20] = 0, png[21] = 0, png[22] = 0x4e, png[23] = 0x20;  // height 20000
    CHECK_THROWS_AS(decodeImage(png, ImageFormat::kPng), ImageError);
}

TEST_CASE("scaling and the og cover crop give exactly the planned size") {
    const Raster source = picture(400, 300);
    const Raster half = resizeImage(source, 200, scaledHeight(400, 300, 200));
    CHECK(half.width == 200);
    CHECK(half.height == 150);
    const Raster og = coverImage(source, kOgWidth, kOgHeight);
    CHECK(og.width == 1200);
    CHECK(og.height == 630);
    CHECK(og.rgba.size() == 1200u * 630 * 4);
    CHECK(scaledHeight(1600, 900, 480) == 270);
    CHECK(scaledHeight(3, 1000, 1) == 333);
    CHECK(scaledHeight(1000, 1, 10) == 1);  // never 0
}

TEST_CASE("avif and webp encodings decode back to their size") {
    const Raster source = picture(160, 90);
    CHECK(avifSize(encodeImage(source, ImageFormat::kAvif, 60, 8)) == std::make_pair(160, 90));
    CHECK(webpSize(encodeImage(source, ImageFormat::kWebp, 80)) == std::make_pair(160, 90));
    CHECK(avifSize(encodeImage(picture(33, 17, true), ImageFormat::kAvif, 60, 8)) ==
          std::make_pair(33, 17));
}

TEST_CASE("the plan offers each configured width below the image's own, and never scales up") {
    ImagesConfig config;
    std::map<std::string, Asset> assets;
    assets.emplace("img/big.jpg",
                   assetOf("img/big.jpg", encodeImage(picture(1000, 500), ImageFormat::kJpeg, 80)));
    assets.emplace("img/tiny.png",
                   assetOf("img/tiny.png", encodeImage(picture(100, 50), ImageFormat::kPng, 80)));
    assets.emplace("logo.svg",
                   Asset{"logo.svg", "/assets/logo.1.svg", "<svg/>", "image/svg+xml", 10, 10});
    auto sets = planImages(assets, config, "www/assets");
    REQUIRE(sets.size() == 2);  // the SVG is served as it is
    const ImageSet& big = sets.at("img/big.jpg");
    CHECK(big.shown == "www/assets/img/big.jpg");
    std::vector<std::pair<int, int>> avif;
    for (const auto* v : big.of(ImageFormat::kAvif)) avif.emplace_back(v->width, v->height);
    CHECK(avif == std::vector<std::pair<int, int>>{{480, 240}, {800, 400}, {1000, 500}});
    CHECK(big.of(ImageFormat::kWebp).size() == 3);
    CHECK(big.of(ImageFormat::kJpeg).size() == 3);
    CHECK(big.fallback().width == 800);
    CHECK(big.og.width == 1200);
    CHECK(big.og.url.rfind("/assets/img/big-og.", 0) == 0);
    CHECK(big.of(ImageFormat::kAvif)[0]->url.rfind("/assets/img/big-480w.", 0) == 0);
    const ImageSet& tiny = sets.at("img/tiny.png");
    CHECK(tiny.of(ImageFormat::kPng).size() == 1);
    CHECK(tiny.of(ImageFormat::kPng)[0]->width == 100);

    SECTION("a new quality is a new URL, so immutable caching stays true") {
        ImagesConfig other = config;
        other.avif_quality = 40;
        auto again = planImages(assets, other, "www/assets");
        CHECK(again.at("img/big.jpg").of(ImageFormat::kAvif)[0]->url !=
              big.of(ImageFormat::kAvif)[0]->url);
        CHECK(again.at("img/big.jpg").of(ImageFormat::kWebp)[0]->url ==
              big.of(ImageFormat::kWebp)[0]->url);
    }
    SECTION("formats can be turned off") {
        ImagesConfig jpeg_only = config;
        jpeg_only.avif = false;
        jpeg_only.webp = false;
        auto again = planImages(assets, jpeg_only, "www/assets");
        CHECK(again.at("img/big.jpg").variants.size() == 3);
        auto data = pictureData(assets.at("img/big.jpg"), &again.at("img/big.jpg"), {});
        CHECK(data["avif"] == "");
        CHECK(data["webp"] == "");
    }
}

TEST_CASE("variants are encoded once and read back from the cache on the next start") {
    portico::tests::TempFolder tmp;
    ImagesConfig config;
    config.widths = {64, 128};
    std::map<std::string, Asset> assets;
    assets.emplace("a.jpg",
                   assetOf("a.jpg", encodeImage(picture(200, 100), ImageFormat::kJpeg, 80)));
    assets.emplace("b.png",
                   assetOf("b.png", encodeImage(picture(100, 80, true), ImageFormat::kPng, 80)));
    const std::string dir = tmp.path() + "/cache/images";

    auto first_sets = planImages(assets, config, "www/assets");
    portico::sdk::FileCache first(dir, kImageCacheFormat, kImageCacheSuffix);
    Issues issues;
    const ImageStats made = encodeImages(first_sets, assets, config, &first, issues, 2);
    CHECK(issues.empty());
    CHECK(made.sources == 2);
    CHECK(made.decoded == 2);
    // a.jpg: 64, 128, 200 in avif, webp, jpeg + og; b.png: 64, 100 in avif, webp, png + og
    CHECK(made.variants == 10 + 7);
    CHECK(first.stats().built == 17);
    for (const auto& [rel, set] : first_sets) {
        for (const auto& v : set.variants) {
            INFO(v.url);
            if (v.format == ImageFormat::kAvif)
                CHECK(avifSize(v.body) == std::make_pair(v.width, v.height));
            if (v.format == ImageFormat::kWebp)
                CHECK(webpSize(v.body) == std::make_pair(v.width, v.height));
            if (v.format == ImageFormat::kJpeg)
                CHECK(imageSize(v.body, "jpg") == std::make_pair(v.width, v.height));
            if (v.format == ImageFormat::kPng)
                CHECK(imageSize(v.body, "png") == std::make_pair(v.width, v.height));
        }
        CHECK(imageSize(set.og.body, "jpg") == std::make_pair(1200, 630));
    }

    auto second_sets = planImages(assets, config, "www/assets");
    portico::sdk::FileCache second(dir, kImageCacheFormat, kImageCacheSuffix);
    const ImageStats again = encodeImages(second_sets, assets, config, &second, issues, 2);
    CHECK(issues.empty());
    CHECK(again.decoded == 0);  // nothing decoded: every variant came from the cache
    CHECK(second.stats().hits == 17);
    CHECK(second.stats().built == 0);
    CHECK(again.bytes == made.bytes);
    CHECK(second_sets.at("a.jpg").variants[0].body == first_sets.at("a.jpg").variants[0].body);
    CHECK(second.prune() == 0);
}

TEST_CASE("an image that cannot be decoded is a content error naming the file, and others go on") {
    ImagesConfig config;
    config.widths = {32};
    std::map<std::string, Asset> assets;
    assets.emplace("good.png",
                   assetOf("good.png", encodeImage(picture(64, 64), ImageFormat::kPng, 80)));
    // A real JPEG header (so the size is read) with the entropy-coded data cut off and garbage.
    std::string broken = encodeImage(picture(64, 64), ImageFormat::kJpeg, 80);
    auto sos = broken.find("\xff\xda");
    REQUIRE(sos != std::string::npos);
    broken = broken.substr(0, sos) + "\xff\xd9";
    assets.emplace("img/broken.jpg", assetOf("img/broken.jpg", broken));
    auto sets = planImages(assets, config, "www/assets");
    Issues issues;
    encodeImages(sets, assets, config, nullptr, issues, 2);
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].file == "www/assets/img/broken.jpg");
    CHECK(issues[0].message.rfind("cannot decode the image: ", 0) == 0);
    CHECK(sets.count("img/broken.jpg") == 0);
    CHECK(sets.count("good.png") == 1);
}

TEST_CASE("picture data carries srcsets per format, the intrinsic size and the loading hints") {
    ImagesConfig config;
    std::map<std::string, Asset> assets;
    assets.emplace("p.jpg",
                   assetOf("p.jpg", encodeImage(picture(1000, 500), ImageFormat::kJpeg, 80)));
    auto sets = planImages(assets, config, "www/assets");
    const ImageSet& set = sets.at("p.jpg");
    auto hero = pictureData(assets.at("p.jpg"), &set, {"Alt", "50vw", "cover", true, false});
    CHECK(hero["width"] == "1000");
    CHECK(hero["height"] == "500");
    CHECK(hero["priority"] == true);
    CHECK(hero["eager"] == true);
    CHECK(hero["sizes"] == "50vw");
    CHECK(hero["src"] == set.fallback().url);
    const auto avif = set.of(ImageFormat::kAvif);
    CHECK(hero["avif"] ==
          avif[0]->url + " 480w, " + avif[1]->url + " 800w, " + avif[2]->url + " 1000w");
    auto lazy = pictureData(assets.at("p.jpg"), &set, {"Alt", "50vw", "", false, false});
    CHECK(lazy["eager"] == false);
    Asset svg{"logo.svg", "/assets/logo.1.svg", "<svg/>", "image/svg+xml", 10, 12};
    auto plain = pictureData(svg, nullptr, {"Logo", "10vw", "", false, false});
    CHECK(plain["src"] == "/assets/logo.1.svg");
    CHECK(plain["srcset"] == "");
    CHECK(plain["height"] == "12");
}
