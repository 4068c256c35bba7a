// The contact form on the shipped site through the real process: the form inside the site's
// layout in both locales, 303 and 422 answers, and the generated secret across restarts.
#include <signal.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <regex>
#include <thread>

#include "harness.hpp"

using namespace portico::tests;
namespace fs = std::filesystem;

namespace {

const std::string kBase = "http://localhost:8080";

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::string tokenIn(const std::string& html) {
    std::smatch m;
    REQUIRE(std::regex_search(
        html, m, std::regex("name=\"token\" value=\"([0-9]+\\.[0-9a-f]+\\.[0-9a-f]+)\"")));
    return m[1];
}

Response postForm(int port, const std::string& path, const std::string& body) {
    return request(port, "POST", path, {{"Content-Type", "application/x-www-form-urlencoded"}},
                   body);
}

struct Locale {
    std::string lang, path, other_lang, other_path, thanks, title, description, text, send;
};

const Locale kLocales[] = {
    {"de", "/de/kontakt/", "en", "/en/contact/", "/de/kontakt/danke/", "Kontakt · Alex Muster",
     "So erreichen Sie Alex Muster für Projektanfragen – per Formular oder E-Mail.",
     "Schreiben Sie mir über das Formular", "Nachricht senden"},
    {"en", "/en/contact/", "de", "/de/kontakt/", "/en/contact/thanks/", "Contact · Alex Muster",
     "How to reach Alex Muster for project enquiries – by form or e-mail.",
     "Write to me with the form or by e-mail.", "Send message"},
};

}  // namespace

TEST_CASE("the shipped site's contact pages show the form inside the site's layout and head") {
    TempDir dir;
    const int port = freePort();
    auto p = serveShipped(dir, port);
    for (const auto& l : kLocales) {
        INFO(l.path);
        const auto res = request(port, "GET", l.path);
        REQUIRE(res.status == 200);
        CHECK(res.header("cache-control") == "no-store");
        const std::string& b = res.body;
        CHECK(contains(b, "<html lang=\"" + l.lang + "\">"));
        CHECK(contains(b, "<title>" + l.title + "</title>"));
        CHECK(contains(b, "<meta name=\"description\" content=\"" + l.description + "\">"));
        CHECK(contains(b, "<link rel=\"canonical\" href=\"" + kBase + l.path + "\">"));
        CHECK(contains(b, "<link rel=\"alternate\" hreflang=\"" + l.lang + "\" href=\"" + kBase +
                              l.path + "\">"));
        CHECK(contains(b, "<link rel=\"alternate\" hreflang=\"" + l.other_lang + "\" href=\"" +
                              kBase + l.other_path + "\">"));
        CHECK(contains(b, "<link rel=\"alternate\" hreflang=\"x-default\" href=\"" + kBase +
                              "/de/kontakt/\">"));
        CHECK(contains(b, "<meta property=\"og:url\" content=\"" + kBase + l.path + "\">"));
        CHECK_FALSE(contains(b, "name=\"robots\""));
        // The site's header (navigation, language switcher to the other contact page), footer
        // and the page's text from www/content.
        CHECK(contains(b, "<header class=\"site-header\">"));
        CHECK(contains(b, "href=\"" + l.other_path + "\" hreflang=\"" + l.other_lang + "\""));
        CHECK(contains(b, "<footer class=\"site-footer\">"));
        CHECK(contains(b, l.text));
        // The form: the plugin's field names, a fresh token, the site's labels, no errors yet.
        CHECK(
            contains(b, "<form class=\"contact-form\" method=\"post\" action=\"" + l.path + "\""));
        for (const char* field : {"name", "email", "company", "message", "consent", "website"}) {
            CHECK(contains(b, std::string("name=\"") + field + "\""));
        }
        tokenIn(b);
        CHECK(contains(b, l.send));
        CHECK_FALSE(contains(b, "aria-invalid"));
        CHECK_FALSE(contains(b, "form-errors"));

        const auto thanks = request(port, "GET", l.thanks);
        REQUIRE(thanks.status == 200);
        CHECK(contains(thanks.body, "<meta name=\"robots\" content=\"noindex\">"));
        CHECK(contains(thanks.body, "<header class=\"site-header\">"));
        CHECK(thanks.header("x-robots-tag") == "noindex");
    }
    const auto sitemap = request(port, "GET", "/sitemap.xml");
    REQUIRE(sitemap.status == 200);
    CHECK(contains(sitemap.body, "<loc>" + kBase + "/de/kontakt/</loc>"));
    CHECK(contains(sitemap.body, "<loc>" + kBase + "/en/contact/</loc>"));
    CHECK(contains(sitemap.body, "hreflang=\"en\" href=\"" + kBase + "/en/contact/\""));
    CHECK_FALSE(contains(sitemap.body, "danke"));
    CHECK_FALSE(contains(sitemap.body, "thanks"));
    p->signal(SIGTERM);
    CHECK(p->wait() == 0);
}

TEST_CASE(
    "the shipped config stores contact messages without CONTACT_SECRET, re-renders mistakes with "
    "422 and keeps its generated secret across a restart") {
    TempDir dir;
    const int port = freePort();
    auto p = serveShipped(dir, port);
    CHECK(p->waitForOutput("replicas must share CONTACT_SECRET"));
    CHECK(contains(p->out() + p->err(), "no secret configured: generated"));
    const std::string secret_file = dir.path() + "/data/contact.secret";
    REQUIRE(fs::exists(secret_file));
    CHECK((fs::status(secret_file).permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write));
    const std::string secret = readFile(secret_file);

    const std::string de_token = tokenIn(request(port, "GET", "/de/kontakt/").body);
    const std::string en_token = tokenIn(request(port, "GET", "/en/contact/").body);
    // The shipped config refuses forms sent within 3 s of being served (min_fill_seconds).
    std::this_thread::sleep_for(std::chrono::milliseconds(3500));

    const auto bad = postForm(port, "/de/kontakt/",
                              "name=&email=nope&company=ACME&message=Hallo+%3Cb%3EWelt%3C%2Fb%3E"
                              "&website=&token=" +
                                  de_token);
    CHECK(bad.status == 422);
    CHECK(bad.header("cache-control") == "no-store");
    const std::string& b = bad.body;
    CHECK(contains(b, "<html lang=\"de\">"));
    CHECK(contains(b, "<header class=\"site-header\">"));
    CHECK(contains(b, "<link rel=\"canonical\" href=\"" + kBase + "/de/kontakt/\">"));
    // The visitor's input is kept (escaped), each message is beside its field and in a summary.
    CHECK(contains(b, "value=\"nope\""));
    CHECK(contains(b, "value=\"ACME\""));
    CHECK(contains(b, ">Hallo &lt;b&gt;Welt&lt;/b&gt;</textarea>"));
    CHECK(contains(b, "aria-invalid=\"true\" aria-describedby=\"contact-email-error\""));
    CHECK(contains(b,
                   "<span class=\"error\" id=\"contact-email-error\">Bitte geben Sie eine "
                   "gültige E-Mail-Adresse ein.</span>"));
    CHECK(contains(b,
                   "<span class=\"error\" id=\"contact-name-error\">Bitte geben Sie Ihren "
                   "Namen ein.</span>"));
    CHECK(contains(b, "id=\"contact-consent-error\">Bitte stimmen Sie der Speicherung zu."));
    CHECK(contains(b, "<div class=\"form-errors\" role=\"alert\">"));
    CHECK(contains(b,
                   "<li><a href=\"#contact-email\">Bitte geben Sie eine gültige "
                   "E-Mail-Adresse ein.</a></li>"));
    CHECK_FALSE(contains(b, "aria-describedby=\"contact-company-error\""));
    CHECK(tokenIn(b) != de_token);

    const auto ok = postForm(port, "/en/contact/",
                             "name=Before+Restart&email=before%40example.com&message=Hello"
                             "&consent=yes&website=&token=" +
                                 en_token);
    CHECK(ok.status == 303);
    CHECK(ok.header("location") == "/en/contact/thanks/");

    p->signal(SIGTERM);
    REQUIRE(p->wait() == 0);
    p = serveShipped(dir, port);
    CHECK(p->waitForOutput("no secret configured: using"));
    CHECK(readFile(secret_file) == secret);
    // A form served before the restart still carries a valid token.
    const auto after = postForm(port, "/de/kontakt/",
                                "name=Nach+Neustart&email=nach%40example.com&message=Hallo"
                                "&consent=yes&website=&token=" +
                                    de_token);
    CHECK(after.status == 303);
    CHECK(after.header("location") == "/de/kontakt/danke/");
    p->signal(SIGTERM);
    CHECK(p->wait() == 0);

    const auto listed = runPortico({"contact", "list", "--config", "config/portico.json"},
                                   shippedEnv(dir, port), sourceDir());
    INFO(listed.err);
    CHECK(listed.status == 0);
    CHECK(contains(listed.out, "Before Restart"));
    CHECK(contains(listed.out, "Nach Neustart"));
}

TEST_CASE("an explicit contact secret shorter than 16 characters is a config error") {
    TempDir dir;
    auto env = shippedEnv(dir, 8080);
    env["CONTACT_SECRET"] = "short";
    const auto r =
        runPortico({"check-config", "--config", "config/portico.json"}, env, sourceDir());
    CHECK(r.status != 0);
    CHECK(contains(r.err, "plugins.contact.secret: must be at least 16 characters long, got 5"));
    CHECK_FALSE(contains(r.err + r.out, "\"short\""));
}
