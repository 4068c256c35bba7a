#include "aggregate.hpp"

#include <catch2/catch.hpp>

using namespace portico::plugins::insights;

namespace {

// 2026-12-03 14:05:00 UTC
constexpr std::int64_t kAt = 1796306700;

const char* const kBrowser =
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

Hit hit(const std::string& path, const std::string& client = "203.0.113.7",
        const std::string& ua = kBrowser) {
    Hit h;
    h.at = kAt;
    h.path = path;
    h.client = client;
    h.user_agent = ua;
    h.host = "example.com";
    return h;
}

std::int64_t countOf(const Batch& b, const std::string& dimension, const std::string& value) {
    auto it = b.counts.find(CountKey{"2026-12-03T14", dimension, value});
    return it == b.counts.end() ? 0 : it->second;
}

std::string fixedSalt(const std::string& day) { return "salt-of-" + day; }

}  // namespace

TEST_CASE("hours and days are UTC") {
    CHECK(hourOf(kAt) == "2026-12-03T14");
    CHECK(dayOf(kAt) == "2026-12-03");
    CHECK(dayOf(kAt + 10 * 3600) == "2026-12-04");
}

TEST_CASE("a visitor hash depends on the salt, host, address and user agent, and shows none") {
    const std::string h = visitorHash("s1", "example.com", "203.0.113.7", kBrowser);
    CHECK(h.size() == 32);
    CHECK(h == visitorHash("s1", "example.com", "203.0.113.7", kBrowser));
    CHECK(h != visitorHash("s2", "example.com", "203.0.113.7", kBrowser));
    CHECK(h != visitorHash("s1", "example.org", "203.0.113.7", kBrowser));
    CHECK(h != visitorHash("s1", "example.com", "203.0.113.8", kBrowser));
    CHECK(h != visitorHash("s1", "example.com", "203.0.113.7", "other"));
    // Lengths are part of the hashed bytes: moving a character between fields changes it.
    CHECK(visitorHash("ab", "c", "", "") != visitorHash("a", "bc", "", ""));
    CHECK(h.find("203.0.113.7") == std::string::npos);
}

TEST_CASE("hits become hourly counts per dimension and one hash per visitor and day") {
    const BotList bots;
    Aggregator aggregator(bots, {{"example.com"}, {"de", "en"}}, 500);
    Hit from_search = hit("/en/");
    from_search.referrer = "https://www.google.com/";
    from_search.query = "utm_source=newsletter&utm_medium=email&utm_campaign=%3Dcmd%7C";
    Hit german = hit("/de/", "203.0.113.8");
    Hit again = hit("/en/projects/");
    again.referrer = "https://example.com/en/";
    Hit bot = hit("/en/", "198.51.100.1", "Mozilla/5.0 (compatible; Googlebot/2.1)");
    Hit missing = hit("/en/nope/");
    missing.found = false;
    const Batch b = aggregator.aggregate({from_search, german, again, bot, missing}, fixedSalt);
    CHECK(b.views == 3);
    CHECK(b.bots == 1);
    CHECK(b.visitors.size() == 2);
    CHECK(countOf(b, "page", "/en/") == 1);
    CHECK(countOf(b, "page", "/de/") == 1);
    CHECK(countOf(b, "page", "/en/projects/") == 1);
    CHECK(countOf(b, "page", "/en/nope/") == 0);
    CHECK(countOf(b, "not_found", "/en/nope/") == 1);
    CHECK(countOf(b, "locale", "en") == 2);
    CHECK(countOf(b, "locale", "de") == 1);
    CHECK(countOf(b, "referrer", "google.com") == 1);
    CHECK(countOf(b, "referrer", "") == 2);
    CHECK(countOf(b, "utm_source", "newsletter") == 1);
    CHECK(countOf(b, "utm_medium", "email") == 1);
    CHECK(countOf(b, "utm_campaign", "=cmd|") == 1);
    CHECK(countOf(b, "browser", "Firefox") == 3);
    CHECK(countOf(b, "os", "Linux") == 3);
    CHECK(countOf(b, "device", "desktop") == 3);
    for (const auto& [key, n] : b.counts) {
        INFO(key.dimension << " = " << key.value);
        CHECK(key.value.find("203.0.113") == std::string::npos);
        CHECK(key.value.find("Mozilla") == std::string::npos);
    }
}

TEST_CASE("made-up values beyond the hourly limit are counted as (other)") {
    const BotList bots;
    Aggregator aggregator(bots, {{"example.com"}, {"en"}}, 10);
    std::vector<Hit> hits;
    for (int i = 0; i < 25; ++i) {
        Hit h = hit("/en/");
        h.referrer = "https://spam" + std::to_string(i) + ".example.net/";
        hits.push_back(h);
    }
    Batch b = aggregator.aggregate(hits, fixedSalt);
    std::size_t referrers = 0;
    for (const auto& [key, n] : b.counts) referrers += key.dimension == "referrer";
    CHECK(referrers == 11);  // 10 kept, one "(other)"
    CHECK(countOf(b, "referrer", "(other)") == 15);
    // The limit holds across flushes within the hour, and a value already kept stays kept.
    Hit known = hit("/en/");
    known.referrer = "https://spam3.example.net/";
    Hit fresh = hit("/en/");
    fresh.referrer = "https://new.example.net/";
    b = aggregator.aggregate({known, fresh}, fixedSalt);
    CHECK(countOf(b, "referrer", "spam3.example.net") == 1);
    CHECK(countOf(b, "referrer", "(other)") == 1);
}

TEST_CASE("a batch merged into another adds its counts and visitors") {
    Batch a;
    a.counts[CountKey{"h", "page", "/"}] = 2;
    a.visitors.emplace("d", "x");
    a.views = 2;
    Batch b;
    b.counts[CountKey{"h", "page", "/"}] = 3;
    b.counts[CountKey{"h", "page", "/en/"}] = 1;
    b.visitors.emplace("d", "x");
    b.visitors.emplace("d", "y");
    b.views = 4;
    a.merge(b);
    CHECK(a.counts.at(CountKey{"h", "page", "/"}) == 5);
    CHECK(a.counts.at(CountKey{"h", "page", "/en/"}) == 1);
    CHECK(a.visitors.size() == 2);
    CHECK(a.views == 6);
}
