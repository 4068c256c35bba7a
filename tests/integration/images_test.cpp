// Responsive images through the real process with the shipped site: every <picture> source is
// served with its content type and the size its srcset promises, og:image is a 1200x630 JPEG, a
// second start reads the variants from <data_dir>/cache/images, and an image that cannot be
// decoded stops the start with the file named before the port is bound.
#include <avif/avif.h>
#include <signal.h>
#include <webp/decode.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <set>

#include "harness.hpp"

using namespace portico::tests;
namespace fs = std::filesystem;

namespace {

std::pair<int, int> jpegSize(const std::string& b) {
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(b[i]); };
    REQUIRE(b.size() > 4);
    REQUIRE(byte(0) == 0xFF);
    REQUIRE(byte(1) == 0xD8);
    std::size_t i = 2;
    while (i + 9 < b.size() && byte(i) == 0xFF) {
        const unsigned marker = byte(i + 1);
        if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 &&
            marker != 0xCC) {
            return {byte(i + 7) << 8 | byte(i + 8), byte(i + 5) << 8 | byte(i + 6)};
        }
        i += 2 + (byte(i + 2) << 8 | byte(i + 3));
    }
    FAIL("no SOF marker");
    return {0, 0};
}

// Decodes the file with the format's own library and returns its size.
std::pair<int, int> imageSize(const std::string& type, const std::string& body) {
    if (type == "image/webp") {
        int w = 0, h = 0;
        REQUIRE(WebPGetInfo(reinterpret_cast<const uint8_t*>(body.data()), body.size(), &w, &h));
        return {w, h};
    }
    if (type == "image/avif") {
        std::unique_ptr<avifDecoder, void (*)(avifDecoder*)> d(avifDecoderCreate(),
                                                               avifDecoderDestroy);
        REQUIRE(avifDecoderSetIOMemory(d.get(), reinterpret_cast<const uint8_t*>(body.data()),
                                       body.size()) == AVIF_RESULT_OK);
        REQUIRE(avifDecoderParse(d.get()) == AVIF_RESULT_OK);
        REQUIRE(avifDecoderNextImage(d.get()) == AVIF_RESULT_OK);
        return {static_cast<int>(d->image->width), static_cast<int>(d->image->height)};
    }
    REQUIRE(type == "image/jpeg");
    return jpegSize(body);
}

std::string attr(const std::string& tag, const std::string& name) {
    std::smatch m;
    if (!std::regex_search(tag, m, std::regex("\\s" + name + "=\"([^\"]*)\""))) return "";
    return m[1];
}

std::vector<std::string> tags(const std::string& html, const std::string& pattern) {
    std::vector<std::string> out;
    const std::regex re(pattern);
    for (auto it = std::sregex_iterator(html.begin(), html.end(), re); it != std::sregex_iterator();
         ++it) {
        out.push_back(it->str());
    }
    return out;
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

struct ImagesLine {
    int reused = -1, built = -1, decoded = -1;
};

ImagesLine imagesLine(const std::string& log) {
    std::smatch m;
    REQUIRE(std::regex_search(
        log, m,
        std::regex("images: [0-9]+ sources, [0-9]+ variants \\([0-9]+ bytes\\); cache: ([0-9]+) "
                   "reused, ([0-9]+) built, [0-9]+ rebuilt \\(corrupt file\\), [0-9]+ removed "
                   "\\(unused\\); ([0-9]+) sources decoded")));
    return {std::stoi(m[1]), std::stoi(m[2]), std::stoi(m[3])};
}

// Fetches every candidate of every <picture> on `path` and checks type and size; returns
// url -> body of what it fetched.
std::map<std::string, std::string> checkPictures(int port, const std::string& path,
                                                 std::size_t expected) {
    auto page = request(port, "GET", path);
    REQUIRE(page.status == 200);
    const auto pictures = tags(page.body, "<picture>.*?</picture>");
    CHECK(pictures.size() == expected);
    std::map<std::string, std::string> fetched;
    for (const auto& picture : pictures) {
        INFO(picture);
        const auto img = tags(picture, "<img [^>]*>");
        REQUIRE(img.size() == 1);
        const int width = std::stoi(attr(img[0], "width"));
        const int height = std::stoi(attr(img[0], "height"));
        CHECK(!attr(img[0], "sizes").empty());
        std::map<std::string, std::string> srcsets = {{"image/jpeg", attr(img[0], "srcset")}};
        for (const auto& source : tags(picture, "<source [^>]*>")) {
            srcsets[attr(source, "type")] = attr(source, "srcset");
            CHECK(attr(source, "sizes") == attr(img[0], "sizes"));
        }
        CHECK(srcsets.count("image/avif") == 1);
        CHECK(srcsets.count("image/webp") == 1);
        for (const auto& [type, srcset] : srcsets) {
            std::smatch m;
            std::string rest = srcset;
            int candidates = 0;
            while (std::regex_search(rest, m, std::regex("(/assets/[^ ,]+) ([0-9]+)w"))) {
                const std::string url = m[1];
                const int w = std::stoi(m[2]);
                rest = m.suffix();
                ++candidates;
                auto res = request(port, "GET", url);
                INFO(url);
                REQUIRE(res.status == 200);
                CHECK(res.header("content-type") == type);
                CHECK(res.header("cache-control") == "public, max-age=31536000, immutable");
                const auto size = imageSize(type, res.body);
                CHECK(size.first == w);
                CHECK(size.first <= width);  // never scaled up
                // The aspect of the width/height attributes, to the pixel.
                CHECK(std::abs(size.second - height * w / width) <= 1);
                fetched[url] = res.body;
            }
            CHECK(candidates >= 2);
        }
        CHECK(fetched.count(attr(img[0], "src")) == 1);
    }
    return fetched;
}

}  // namespace

TEST_CASE(
    "the shipped site serves every picture source at its promised size and type, og:image "
    "at 1200x630, and a second start reads the variants from the cache") {
    TempDir dir;
    std::map<std::string, std::string> cold_bytes;
    {
        const int port = freePort();
        auto server = serveShipped(dir, port);
        const ImagesLine cold = imagesLine(server->out() + server->err());
        CHECK(cold.reused == 0);
        CHECK(cold.built > 30);
        CHECK(cold.decoded >= 4);

        // The home hero: the owner's portrait, fetched first, never lazy.
        auto home = request(port, "GET", "/en/");
        const auto hero = tags(home.body, "<img [^>]*class=\"portrait\"[^>]*>");
        REQUIRE(hero.size() == 1);
        CHECK(attr(hero[0], "fetchpriority") == "high");
        CHECK(attr(hero[0], "loading").empty());
        CHECK(attr(hero[0], "width") == "800");
        CHECK(attr(hero[0], "height") == "800");
        cold_bytes = checkPictures(port, "/en/", 1);

        // Project cards: a cover each; the first loads at once, the others lazily.
        auto list = request(port, "GET", "/de/projekte/");
        std::vector<std::string> cards;
        for (const auto& cover :
             tags(list.body, "<span class=\"card-cover\"><picture>.*?</picture>")) {
            const auto img = tags(cover, "<img [^>]*>");
            REQUIRE(img.size() == 1);
            cards.push_back(img[0]);
        }
        REQUIRE(cards.size() == 3);
        CHECK(attr(cards[0], "loading").empty());
        CHECK(attr(cards[1], "loading") == "lazy");
        CHECK(attr(cards[2], "decoding") == "async");
        for (const auto& card : cards) {
            CHECK(attr(card, "fetchpriority").empty());
            CHECK_FALSE(attr(card, "alt").empty());
        }
        auto more = checkPictures(port, "/de/projekte/", 3);
        cold_bytes.insert(more.begin(), more.end());

        // A project page: its own cover is its hero, and its og:image.
        auto project = request(port, "GET", "/en/projects/web-platform/");
        REQUIRE(project.status == 200);
        const auto cover = tags(project.body, "<div class=\"cover\"><picture>.*?<img [^>]*>");
        REQUIRE(cover.size() == 1);
        CHECK(attr(cover[0], "fetchpriority") == "high");
        CHECK(attr(cover[0], "loading").empty());
        CHECK(attr(cover[0], "alt") ==
              "Abstract graphic: the building blocks of a server fitting together");
        std::smatch og;
        REQUIRE(std::regex_search(
            project.body, og,
            std::regex("<meta property=\"og:image\" content=\"http://"
                       "localhost:8080(/assets/img/cover-platform-og\\.[0-9a-f]{10}\\.jpg)\">")));
        auto og_image = request(port, "GET", og[1]);
        REQUIRE(og_image.status == 200);
        CHECK(og_image.header("content-type") == "image/jpeg");
        CHECK(jpegSize(og_image.body) == std::make_pair(1200, 630));

        // The site's default og:image (og_image: img/og.png) gets the rendition too.
        REQUIRE(std::regex_search(
            home.body, og,
            std::regex("<meta property=\"og:image\" content=\"http://"
                       "localhost:8080(/assets/img/og-og\\.[0-9a-f]{10}\\.jpg)\">")));
        CHECK(jpegSize(request(port, "GET", og[1]).body) == std::make_pair(1200, 630));
        server->signal(SIGTERM);
        CHECK(server->wait() == 0);
    }
    CHECK(fs::is_directory(dir.path() + "/data/cache/images"));

    const int port = freePort();
    auto server = serveShipped(dir, port);
    const ImagesLine warm = imagesLine(server->out() + server->err());
    CHECK(warm.built == 0);
    CHECK(warm.decoded == 0);
    CHECK(warm.reused > 30);
    for (const auto& [url, body] : cold_bytes) {
        INFO(url);
        CHECK(request(port, "GET", url).body == body);
    }
}

TEST_CASE("an image that cannot be decoded stops the start with the file and the reason") {
    TempDir dir;
    const std::string site = dir.path() + "/site";
    fs::create_directories(site);
    fs::copy(sourceDir() + "/www", site + "/www", fs::copy_options::recursive);
    fs::copy(sourceDir() + "/locales", site + "/locales", fs::copy_options::recursive);
    // The header survives (its size is read), the picture data does not.
    const std::string cover = site + "/www/assets/img/cover-platform.jpg";
    std::string bytes = readFile(cover);
    const auto scan = bytes.find("\xff\xda");
    REQUIRE(scan != std::string::npos);
    bytes = bytes.substr(0, scan) + "\xff\xd9";
    std::ofstream(cover, std::ios::binary | std::ios::trunc) << bytes;

    const int port = freePort();
    auto env = shippedEnv(dir, port);
    env["PORTICO_SITE_DIR"] = site;
    const auto run = runPortico({"serve", "--config", "config/portico.json"}, env, sourceDir());
    CHECK(run.status != 0);
    const std::string output = run.out + run.err;
    INFO(output);
    CHECK(has(output, site + "/www/assets/img/cover-platform.jpg"));
    CHECK(has(output, "cannot decode the image: "));
    CHECK_FALSE(has(output, "portico listening on"));

    // Not an image at all under an image's name: the same, from the header.
    std::ofstream(cover, std::ios::binary | std::ios::trunc) << "not a picture";
    const auto again = runPortico({"serve", "--config", "config/portico.json"}, env, sourceDir());
    CHECK(again.status != 0);
    CHECK(has(again.out + again.err, site + "/www/assets/img/cover-platform.jpg"));
}
