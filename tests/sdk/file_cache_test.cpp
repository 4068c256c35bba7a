#include "portico/sdk/file_cache.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "file_bytes.hpp"
#include "temp_folder.hpp"

using portico::sdk::FileCache;
namespace fs = std::filesystem;

using portico::tests::modeOf;
using portico::tests::slurp;
using portico::tests::spit;

TEST_CASE("a file cache computes once and the next object over the same folder reads it back") {
    portico::tests::TempFolder tmp;
    const std::string dir = tmp.path() + "/data/cache/things";
    int computed = 0;
    auto compute = [&] {
        ++computed;
        return std::string("derived \0 bytes", 15);
    };
    std::string key;
    {
        FileCache first(dir, "TEST-1", ".bin");
        key = first.key({"input", "settings"});
        CHECK(first.get(key, compute) == std::string("derived \0 bytes", 15));
        CHECK(first.stats().built == 1);
        CHECK(first.stats().hits == 0);
    }
    const std::string file = dir + "/" + key + ".bin";
    REQUIRE(fs::exists(file));
    CHECK(modeOf(dir) == 0700);
    CHECK(modeOf(file) == 0600);
    FileCache second(dir, "TEST-1", ".bin");
    CHECK(second.get(key, compute) == std::string("derived \0 bytes", 15));
    CHECK(computed == 1);
    CHECK(second.stats().hits == 1);
    CHECK(second.load(key) == std::string("derived \0 bytes", 15));
}

TEST_CASE("a file cache key is 64 hex digits that change with the format and each input") {
    const FileCache a("", "TEST-1", ".bin");
    const FileCache b("", "TEST-2", ".bin");
    const std::string k = a.key({"ab", "c"});
    CHECK(k.size() == 64);
    CHECK(k.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(k == a.key({"ab", "c"}));
    CHECK(k != a.key({"a", "bc"}));
    CHECK(k != a.key({"ab", "d"}));
    CHECK(k != b.key({"ab", "c"}));
}

TEST_CASE("a damaged, foreign or older-format cache file is rebuilt and never returned") {
    portico::tests::TempFolder tmp;
    const std::string dir = tmp.path() + "/cache";
    FileCache fill(dir, "TEST-1", ".bin");
    const std::string key = fill.key({"one"});
    const std::string other = fill.key({"two"});
    fill.get(key, [] { return std::string(300, 'a'); });
    fill.get(other, [] { return std::string("other payload"); });
    const std::string file = dir + "/" + key + ".bin";
    const std::string intact = slurp(file);
    const std::string damages[][2] = {
        {"empty", ""},
        {"truncated to half", intact.substr(0, intact.size() / 2)},
        {"last byte missing", intact.substr(0, intact.size() - 1)},
        {"one byte more", intact + "x"},
        {"a payload byte flipped",
         [&] {
             std::string b = intact;
             b[b.size() / 2] = static_cast<char>(b[b.size() / 2] ^ 0x20);
             return b;
         }()},
        {"another key's file", slurp(dir + "/" + other + ".bin")},
        {"an older format's file", portico::sdk::encodeCacheFile("TEST-0", key, "old")},
    };
    for (const auto& damage : damages) {
        INFO(damage[0]);
        spit(file, damage[1]);
        FileCache cache(dir, "TEST-1", ".bin");
        CHECK_FALSE(cache.load(key).has_value());
        CHECK(cache.get(key, [] { return std::string(300, 'a'); }) == std::string(300, 'a'));
        CHECK(cache.stats().rebuilt == 1);
        CHECK(slurp(file) == intact);
    }
}

TEST_CASE("the cache file format refuses every prefix of an intact file") {
    const std::string bytes = portico::sdk::encodeCacheFile("F-1", "key", "payload");
    REQUIRE(portico::sdk::decodeCacheFile(bytes, "F-1", "key") == std::string("payload"));
    CHECK_FALSE(portico::sdk::decodeCacheFile(bytes, "F-1", "kez").has_value());
    CHECK_FALSE(portico::sdk::decodeCacheFile(bytes, "F-2", "key").has_value());
    for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
        INFO(cut);
        CHECK_FALSE(portico::sdk::decodeCacheFile(bytes.substr(0, cut), "F-1", "key").has_value());
    }
    CHECK(portico::sdk::decodeCacheFile(portico::sdk::encodeCacheFile("F-1", "key", ""), "F-1",
                                        "key") == std::string());
}

TEST_CASE("pruning removes unused files of its suffix and orphaned temporary files only") {
    portico::tests::TempFolder tmp;
    const std::string dir = tmp.path() + "/cache";
    std::string kept, gone;
    {
        FileCache old(dir, "TEST-1", ".bin");
        kept = old.key({"kept"});
        gone = old.key({"gone"});
        old.store(kept, "k");
        old.store(gone, "g");
    }
    spit(dir + "/." + kept + ".bin.123.456", "half written");
    spit(dir + "/notes.txt", "an operator's file");
    spit(dir + "/" + gone.substr(0, 60) + "beef.enc", "another cache's suffix");
    FileCache cache(dir, "TEST-1", ".bin");
    CHECK(cache.load(kept) == std::string("k"));
    CHECK(cache.prune() == 2);
    CHECK(fs::exists(dir + "/" + kept + ".bin"));
    CHECK_FALSE(fs::exists(dir + "/" + gone + ".bin"));
    CHECK_FALSE(fs::exists(dir + "/." + kept + ".bin.123.456"));
    CHECK(fs::exists(dir + "/notes.txt"));
    CHECK(fs::exists(dir + "/" + gone.substr(0, 60) + "beef.enc"));
}

TEST_CASE("a file cache that cannot be written computes every time and says so") {
    portico::tests::TempFolder tmp;
    spit(tmp.path() + "/file", "a file where the folder should be");
    FileCache cache(tmp.path() + "/file/cache", "TEST-1", ".bin");
    const std::string key = cache.key({"x"});
    CHECK(cache.get(key, [] { return std::string("v"); }) == "v");
    CHECK(cache.get(key, [] { return std::string("v"); }) == "v");
    CHECK(cache.stats().unwritable == 2);
    CHECK(cache.stats().built == 0);
    CHECK_FALSE(cache.store(key, "v"));
}

TEST_CASE("a failing computation writes nothing and its exception reaches the caller") {
    portico::tests::TempFolder tmp;
    FileCache cache(tmp.path() + "/cache", "TEST-1", ".bin");
    const std::string key = cache.key({"x"});
    CHECK_THROWS_AS(cache.get(key, []() -> std::string { throw std::runtime_error("bad input"); }),
                    std::runtime_error);
    CHECK_FALSE(fs::exists(tmp.path() + "/cache/" + key + ".bin"));
}

TEST_CASE("threads filling one file cache at once all get their payloads") {
    portico::tests::TempFolder tmp;
    FileCache cache(tmp.path() + "/cache", "TEST-1", ".bin");
    std::vector<std::thread> threads;
    std::vector<std::string> got(8);
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            const std::string key = cache.key({std::to_string(t % 4)});
            got[t] = cache.get(key, [t] { return std::string(1000, char('a' + t % 4)); });
        });
    }
    for (auto& t : threads) t.join();
    for (int t = 0; t < 8; ++t) CHECK(got[t] == std::string(1000, char('a' + t % 4)));
    FileCache again(tmp.path() + "/cache", "TEST-1", ".bin");
    for (int t = 0; t < 4; ++t) CHECK(again.load(again.key({std::to_string(t)})).has_value());
}
