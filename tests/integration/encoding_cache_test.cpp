// The on-disk cache of prebuilt encodings through the real process with the shipped site: a
// second start reuses it, a damaged cache file is rebuilt, and the bytes served never change.
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <sstream>

#include "harness.hpp"

using namespace portico::tests;
namespace fs = std::filesystem;

namespace {

struct CacheLine {
    int reused = -1, built = -1, rebuilt = -1, removed = -1;
};

// The numbers of the "encoding cache: ..." line a start logged.
CacheLine cacheLine(const std::string& log) {
    std::smatch m;
    const std::regex line(
        "encoding cache: ([0-9]+) reused, ([0-9]+) built, ([0-9]+) rebuilt \\(corrupt file\\), "
        "([0-9]+) removed \\(unused\\)");
    REQUIRE(std::regex_search(log, m, line));
    return {std::stoi(m[1]), std::stoi(m[2]), std::stoi(m[3]), std::stoi(m[4])};
}

// `portico serve` with the shipped config; returns what its start logged about the cache and
// what it served: path + coding -> body bytes.
struct Start {
    CacheLine cache;
    std::map<std::string, std::string> served;
};

Start startShipped(const TempDir& dir) {
    const int port = freePort();
    auto server = serveShipped(dir, port);
    Process& p = *server;
    Start start;
    start.cache = cacheLine(p.out() + p.err());
    for (const char* path : {"/de/", "/en/projects/", "/sitemap.xml", "/de/missing"}) {
        for (const char* coding : {"br", "gzip", "identity"}) {
            const auto res = request(port, "GET", path, {{"Accept-Encoding", coding}});
            CHECK((res.status == 200 || res.status == 404));
            if (std::string(coding) != "identity") CHECK(res.header("content-encoding") == coding);
            start.served[std::string(path) + " " + coding] = res.body;
        }
    }
    p.signal(SIGTERM);
    CHECK(p.wait() == 0);
    return start;
}

std::vector<fs::path> cacheFiles(const std::string& dir) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir)) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

unsigned modeOf(const fs::path& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

}  // namespace

TEST_CASE(
    "a second start reuses the cached encodings, a damaged cache file is rebuilt, and the bytes "
    "served stay the same") {
    TempDir dir;
    const std::string cache = dir.path() + "/data/cache/encodings";

    const Start cold = startShipped(dir);
    CHECK(cold.cache.rebuilt == 0);
    CHECK(cold.cache.built > 20);  // every page and asset of both sites, the sitemap
    // A body built twice at once (two resources with the same bytes) is one file.
    const int lookups = cold.cache.reused + cold.cache.built;
    const auto files = cacheFiles(cache);
    CHECK(files.size() > 20);
    CHECK(static_cast<int>(files.size()) <= cold.cache.built);
    CHECK(modeOf(cache) == 0700);
    for (const auto& file : files) {
        INFO(file);
        CHECK(modeOf(file) == 0600);
    }

    const Start warm = startShipped(dir);
    CHECK(warm.cache.reused == lookups);
    CHECK(warm.cache.built == 0);
    CHECK(warm.cache.rebuilt == 0);
    CHECK(warm.served == cold.served);

    // Every file damaged one way or another, and one of content that no longer exists.
    for (std::size_t i = 0; i < files.size(); ++i) {
        std::string bytes = slurp(files[i]);
        switch (i % 3) {
            case 0:
                bytes.resize(bytes.size() / 2);
                break;
            case 1:
                bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 1);
                break;
            default:
                bytes.clear();
        }
        std::ofstream(files[i], std::ios::binary | std::ios::trunc) << bytes;
    }
    const std::string stale = cache + "/" + std::string(64, '0') + ".enc";
    std::ofstream(stale) << "an encoding of a page that was deleted";

    const Start repaired = startShipped(dir);
    CHECK(repaired.cache.built == 0);
    CHECK(repaired.cache.rebuilt >= static_cast<int>(files.size()));
    CHECK(repaired.cache.reused + repaired.cache.rebuilt == lookups);
    CHECK(repaired.cache.removed == 1);
    CHECK_FALSE(fs::exists(stale));
    CHECK(repaired.served == cold.served);
    for (const auto& file : files) CHECK(slurp(file).size() > 64);

    const Start again = startShipped(dir);
    CHECK(again.cache.reused == lookups);
    CHECK(again.served == cold.served);
}
