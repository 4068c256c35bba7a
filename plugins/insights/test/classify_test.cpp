#include "classify.hpp"

#include <catch2/catch.hpp>

#include "bots.hpp"

using namespace portico::plugins::insights;
using portico::sdk::Request;
using portico::sdk::Response;

namespace {

const char* const kFirefoxLinux =
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const char* const kChromeWindows =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36";
const char* const kSafariIphone =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
const char* const kEdgeMac =
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86";
const char* const kSamsungTablet =
    "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) "
    "SamsungBrowser/26.0 Chrome/122.0.0.0 Safari/537.36";
const char* const kChromeAndroidPhone =
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36";

Response htmlAnswer(int status) {
    Response res;
    res.status = status;
    res.headers.set("Content-Type", "text/html; charset=utf-8");
    return res;
}

}  // namespace

TEST_CASE("the shipped bot list tells crawlers, monitors and tools from browsers") {
    const BotList bots;
    CHECK(bots.size() > 150);
    const char* const kBots[] = {
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; "
        "+https://openai.com/gptbot)",
        "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "HeadlessChrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like "
        "Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse",
        "curl/8.5.0",
        "Wget/1.21.3",
        "python-requests/2.31.0",
        "Go-http-client/1.1",
        "kube-probe/1.30",
        "Blackbox Exporter/0.25.0",
        "UptimeRobot/2.0",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "WhatsApp/2.23.20.0",
        "",
    };
    for (const char* ua : kBots) {
        INFO(ua);
        CHECK(bots.matches(ua));
    }
    for (const char* ua : {kFirefoxLinux, kChromeWindows, kSafariIphone, kEdgeMac, kSamsungTablet,
                           kChromeAndroidPhone}) {
        INFO(ua);
        CHECK_FALSE(bots.matches(ua));
    }
}

TEST_CASE("a bot pattern that does not compile is named with its line") {
    CHECK_THROWS_WITH(BotList("# comment\nfine\nbroken(\n"),
                      Catch::Contains("line 3") && Catch::Contains("broken("));
    CHECK_FALSE(BotList("# only a comment\n").matches("anything"));
}

TEST_CASE("browser, operating system and device class come from the user agent") {
    struct Row {
        const char* ua;
        Agent want;
    };
    const Row kRows[] = {
        {kFirefoxLinux, {"Firefox", "Linux", "desktop"}},
        {kChromeWindows, {"Chrome", "Windows", "desktop"}},
        {kSafariIphone, {"Safari", "iOS", "mobile"}},
        {kEdgeMac, {"Edge", "macOS", "desktop"}},
        {kSamsungTablet, {"Samsung Internet", "Android", "tablet"}},
        {kChromeAndroidPhone, {"Chrome", "Android", "mobile"}},
        {"something else", {"Other", "Other", "desktop"}},
    };
    for (const auto& row : kRows) {
        INFO(row.ua);
        const Agent got = classifyAgent(row.ua);
        CHECK(got.browser == row.want.browser);
        CHECK(got.os == row.want.os);
        CHECK(got.device == row.want.device);
    }
}

TEST_CASE("a referrer is kept as its domain, and the site's own hosts are no referrer") {
    const std::vector<std::string> own = {"example.com", "www.example.com"};
    CHECK(referrerDomain("https://www.Google.com/search?q=x", own) == "google.com");
    CHECK(referrerDomain("http://news.ycombinator.com:443/item?id=1", own) ==
          "news.ycombinator.com");
    CHECK(referrerDomain("https://user:pw@evil.example.org/", own) == "evil.example.org");
    CHECK(referrerDomain("https://example.com/en/", own) == "");
    CHECK(referrerDomain("https://www.example.com/de/", own) == "");
    CHECK(referrerDomain("", own) == "");
    CHECK(referrerDomain("android-app://com.slack/", own) == "");
    CHECK(referrerDomain("https://[::1]/", own) == "");
    CHECK(referrerDomain("https://bad\x1b[31mhost/", own) == "");
    CHECK(referrerDomain("https://" + std::string(300, 'a') + ".com/", own) == "");
}

TEST_CASE("visitor text becomes a stored value without controls or broken characters") {
    CHECK(cleanValue("  newsletter ") == "newsletter");
    CHECK(cleanValue("a\x1b[31mb\r\nc") == "a[31mbc");
    CHECK(cleanValue("caf\xc3\xa9") == "caf\xc3\xa9");
    CHECK(cleanValue("bad\xff\xfe byte") == "bad byte");
    CHECK(cleanValue("c1\xc2\x85x") == "c1x");
    CHECK(cleanValue(std::string(150, 'x')).size() == 100);
    CHECK(cleanValue("\xc3\xa9\xc3\xa9", 3) == "\xc3\xa9");
}

TEST_CASE("the locale of a path is its first segment when the site has it") {
    const std::vector<std::string> locales = {"de", "en"};
    CHECK(localeOf("/de/kontakt/", locales) == "de");
    CHECK(localeOf("/en/", locales) == "en");
    CHECK(localeOf("/en", locales) == "en");
    CHECK(localeOf("/", locales) == "");
    CHECK(localeOf("/fr/", locales) == "");
    CHECK(localeOf("/english/", locales) == "");
}

TEST_CASE("only HTML answers to GET that a person may see are page answers") {
    Request get;
    get.method = "GET";
    CHECK(isPageAnswer(get, htmlAnswer(200)));
    CHECK(isPageAnswer(get, htmlAnswer(304)));
    CHECK(isPageAnswer(get, htmlAnswer(404)));
    CHECK_FALSE(isPageAnswer(get, htmlAnswer(500)));
    CHECK_FALSE(isPageAnswer(get, htmlAnswer(301)));
    Response json = htmlAnswer(200);
    json.headers.set("Content-Type", "application/json");
    CHECK_FALSE(isPageAnswer(get, json));
    CHECK_FALSE(isPageAnswer(get, Response{}));
    Request head = get;
    head.method = "HEAD";
    CHECK_FALSE(isPageAnswer(head, htmlAnswer(200)));
    Request post = get;
    post.method = "POST";
    CHECK_FALSE(isPageAnswer(post, htmlAnswer(200)));
    for (const auto& [name, value] :
         {std::pair{"Sec-Purpose", "prefetch"}, std::pair{"Sec-Purpose", "prefetch;prerender"},
          std::pair{"Purpose", "prefetch"}, std::pair{"X-Purpose", "preview"},
          std::pair{"X-Moz", "prefetch"}}) {
        INFO(name << ": " << value);
        Request speculative = get;
        speculative.headers.set(name, value);
        CHECK_FALSE(isPageAnswer(speculative, htmlAnswer(200)));
    }
}
