#include "encoding_cache.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include "file_bytes.hpp"
#include "temp_folder.hpp"

using portico::host::EncodingCache;
namespace fs = std::filesystem;

namespace {

using portico::tests::modeOf;
using portico::tests::slurp;
using portico::tests::spit;

std::string page(int n) {
    std::string html = "<!doctype html><html><body><h1>Seite " + std::to_string(n) + "</h1>";
    for (int i = 0; i < 100; ++i) html += "<p>Absatz " + std::to_string(i) + " über Portico</p>";
    return html + "</body></html>";
}

bool same(const portico::sdk::Encodings& a, const portico::sdk::Encodings& b) {
    return a.gzip == b.gzip && a.brotli == b.brotli;
}

}  // namespace

TEST_CASE("the encoding cache gives what compression gives and reads it back on the next start") {
    portico::tests::TempFolder tmp;
    const std::string dir = tmp.path() + "/data/cache/encodings";
    const std::string body = page(1);
    const auto best = portico::sdk::bestEncodings(body);
    {
        EncodingCache first(dir);
        CHECK(same(first.get(body), best));
        CHECK(first.stats().built == 1);
        CHECK(first.stats().hits == 0);
    }
    const std::string file = dir + "/" + EncodingCache::fileName(body);
    REQUIRE(fs::exists(file));
    CHECK(modeOf(dir) == 0700);
    CHECK(modeOf(file) == 0600);
    CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}) == 1);

    EncodingCache second(dir);
    CHECK(same(second.get(body), best));
    CHECK(second.stats().hits == 1);
    CHECK(second.stats().built == 0);
    // Another body is another file.
    CHECK(EncodingCache::fileName(page(2)) != EncodingCache::fileName(body));
    CHECK(EncodingCache::fileName(body).size() == 64 + 4);
}

TEST_CASE("a corrupt, truncated or foreign encodings file is rebuilt and never served") {
    portico::tests::TempFolder tmp;
    const std::string dir = tmp.path() + "/cache";
    const std::string body = page(1);
    const auto best = portico::sdk::bestEncodings(body);
    const std::string file = dir + "/" + EncodingCache::fileName(body);
    const std::string other_file = dir + "/" + EncodingCache::fileName(page(2));
    {
        EncodingCache fill(dir);
        fill.get(body);
        fill.get(page(2));
    }
    const std::string intact = slurp(file);
    struct Damage {
        const char* name;
        std::function<std::string()> bytes;
    };
    const Damage damages[] = {
        {"empty", [] { return std::string(); }},
        {"truncated to half", [&] { return intact.substr(0, intact.size() / 2); }},
        {"last byte missing", [&] { return intact.substr(0, intact.size() - 1); }},
        {"one byte more", [&] { return intact + "x"; }},
        {"a payload byte flipped",
         [&] {
             std::string b = intact;
             b[b.size() / 2] = static_cast<char>(b[b.size() / 2] ^ 0x20);
             return b;
         }},
        {"another body's file", [&] { return slurp(other_file); }},
        {"not an encodings file", [] { return std::string(200, 'x'); }},
    };
    for (const auto& damage : damages) {
        INFO(damage.name);
        spit(file, damage.bytes());
        EncodingCache cache(dir);
        CHECK(same(cache.get(body), best));
        CHECK(cache.stats().rebuilt == 1);
        CHECK(cache.stats().hits == 0);
        CHECK(slurp(file) == intact);  // rewritten whole
        CHECK(modeOf(file) == 0600);
        EncodingCache again(dir);
        CHECK(same(again.get(body), best));
        CHECK(again.stats().hits == 1);
    }
}

TEST_CASE("the file format refuses every file but an intact one of its own key") {
    const portico::sdk::Encodings coded{"gzip bytes", "brotli bytes"};
    const std::string key(32, 'k');
    const std::string bytes = portico::host::encodeEncodingsFile(key, coded);
    portico::sdk::Encodings out;
    REQUIRE(portico::host::decodeEncodingsFile(bytes, key, out));
    CHECK(same(out, coded));
    CHECK_FALSE(portico::host::decodeEncodingsFile(bytes, std::string(32, 'j'), out));
    for (std::size_t cut = 0; cut < bytes.size(); cut += 7) {
        INFO(cut);
        CHECK_FALSE(portico::host::decodeEncodingsFile(bytes.substr(0, cut), key, out));
    }
    const std::string empty = portico::host::encodeEncodingsFile(key, {});
    REQUIRE(portico::host::decodeEncodingsFile(empty, key, out));
    CHECK(out.gzip.empty());
    CHECK(out.brotli.empty());
}

TEST_CASE("pruning removes files of content no longer built and orphaned temporary files only") {
    portico::tests::TempFolder tmp;
    const std::string dir = tmp.path() + "/cache";
    const std::string kept = EncodingCache::fileName(page(1));
    const std::string gone = EncodingCache::fileName(page(2));
    {
        EncodingCache old(dir);
        old.get(page(1));
        old.get(page(2));
    }
    spit(dir + "/." + kept + ".123.456", "half written");
    spit(dir + "/notes.txt", "an operator's file");
    EncodingCache cache(dir);
    cache.get(page(1));
    CHECK(cache.prune() == 2);
    CHECK(fs::exists(dir + "/" + kept));
    CHECK_FALSE(fs::exists(dir + "/" + gone));
    CHECK_FALSE(fs::exists(dir + "/." + kept + ".123.456"));
    CHECK(fs::exists(dir + "/notes.txt"));
}

TEST_CASE("a cache folder that cannot be written only costs the compression") {
    portico::tests::TempFolder tmp;
    spit(tmp.path() + "/file", "a file where the folder should be");
    EncodingCache cache(tmp.path() + "/file/cache");
    const std::string body = page(1);
    CHECK(same(cache.get(body), portico::sdk::bestEncodings(body)));
    CHECK(cache.stats().unwritable == 1);
    CHECK(cache.stats().built == 0);
    CHECK(cache.prune() == 0);
}
