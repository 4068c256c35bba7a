#include "form.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "notifier.hpp"
#include "render.hpp"

using namespace portico::plugins::contact;

namespace {

FormInput valid() {
    FormInput in;
    in.name = "Ada Lovelace";
    in.email = "ada@example.com";
    in.message = "Hello";
    in.consent = true;
    return in;
}

}  // namespace

TEST_CASE("a urlencoded body is parsed into the form's fields") {
    const auto in = parseForm(
        "name=+Ada+Lovelace+&email=ada%40example.com&company=&message=Line+1%0D%0ALine+2"
        "&consent=yes&website=&token=123.abc&unknown=x");
    CHECK(in.name == "Ada Lovelace");
    CHECK(in.email == "ada@example.com");
    CHECK(in.company.empty());
    CHECK(in.message == "Line 1\r\nLine 2");
    CHECK(in.consent);
    CHECK(in.website.empty());
    CHECK(in.token == "123.abc");
    CHECK_FALSE(parseForm("name=x").consent);
}

TEST_CASE("validation names each bad field with its message key") {
    struct Case {
        const char* what;
        std::string FormInput::*field;
        std::string value;
        std::map<std::string, std::string> expected;
    };
    const Case cases[] = {
        {"valid", &FormInput::company, "ACME", {}},
        {"no name", &FormInput::name, "", {{"name", "name_required"}}},
        {"200 umlauts", &FormInput::name, std::string(400, '\0'), {}},  // replaced below
        {"201 characters", &FormInput::name, std::string(201, 'a'), {{"name", "name_too_long"}}},
        {"no e-mail", &FormInput::email, "", {{"email", "email_required"}}},
        {"no at", &FormInput::email, "ada.example.com", {{"email", "email_invalid"}}},
        {"line break",
         &FormInput::email,
         "ada@example.com\r\nBcc: x@y.z",
         {{"email", "email_controls"}}},
        {"no dot", &FormInput::email, "ada@localhost", {{"email", "email_invalid"}}},
        {"company 201",
         &FormInput::company,
         std::string(201, 'c'),
         {{"company", "company_too_long"}}},
        {"no message", &FormInput::message, "", {{"message", "message_required"}}},
        {"5000 characters", &FormInput::message, std::string(5000, 'm'), {}},
        {"5001 characters",
         &FormInput::message,
         std::string(5001, 'm'),
         {{"message", "message_too_long"}}},
        {"bad utf-8", &FormInput::message, "caf\xc3", {{"form", "invalid_utf8"}}},
        {"overlong", &FormInput::name, "\xc0\xaf", {{"form", "invalid_utf8"}}},
        {"surrogate", &FormInput::name, "\xed\xa0\x80", {{"form", "invalid_utf8"}}},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        FormInput in = valid();
        std::string value = c.value;
        if (std::string(c.what) == "200 umlauts") {
            value.clear();
            for (int i = 0; i < 200; ++i) value += "\xc3\xa4";  // 400 bytes, 200 characters
        }
        in.*c.field = value;
        CHECK(validateForm(in) == c.expected);
    }
    FormInput no_consent = valid();
    no_consent.consent = false;
    CHECK(validateForm(no_consent) ==
          std::map<std::string, std::string>{{"consent", "consent_required"}});
}

TEST_CASE(
    "single-line fields refuse every control character, the message keeps line breaks and "
    "tabs only") {
    struct Case {
        const char* what;
        std::string FormInput::*field;
        std::string value;
        std::map<std::string, std::string> expected;
    };
    const std::string injected =
        "Eve\r\nBcc: attacker@evil.test\r\nX-Injected: yes\r\nContent-Type: text/html\r\n\r\n"
        "<h1>Fake</h1>";
    const Case cases[] = {
        {"header injection in the name", &FormInput::name, injected, {{"name", "name_controls"}}},
        {"LF in the name", &FormInput::name, "Eve\nBcc: x@y.z", {{"name", "name_controls"}}},
        {"CR in the name", &FormInput::name, "Eve\rBcc: x@y.z", {{"name", "name_controls"}}},
        {"tab in the name", &FormInput::name, "Eve\tAdams", {{"name", "name_controls"}}},
        {"NUL in the name",
         &FormInput::name,
         std::string("Eve\0x", 5),
         {{"name", "name_controls"}}},
        {"ESC in the name", &FormInput::name, "Eve\x1b]0;pwned\x07", {{"name", "name_controls"}}},
        {"DEL in the name", &FormInput::name, "Eve\x7f", {{"name", "name_controls"}}},
        {"U+0085 (NEL) in the name", &FormInput::name, "Eve\xc2\x85x", {{"name", "name_controls"}}},
        {"U+009B (CSI) in the name",
         &FormInput::name,
         "Eve\xc2\x9b"
         "31m",
         {{"name", "name_controls"}}},
        {"U+2028 in the name", &FormInput::name, "Eve\xe2\x80\xa8x", {{"name", "name_controls"}}},
        {"U+2029 in the name", &FormInput::name, "Eve\xe2\x80\xa9x", {{"name", "name_controls"}}},
        {"U+00A0 and umlauts are text", &FormInput::name, "J\xc3\xbcrgen\xc2\xa0M", {}},
        {"U+202F is text",
         &FormInput::name,
         "A\xe2\x80\xaf"
         "B",
         {}},
        {"LF in the company",
         &FormInput::company,
         "ACME\nX-A: b",
         {{"company", "company_controls"}}},
        {"U+0080 in the company",
         &FormInput::company,
         "ACME\xc2\x80",
         {{"company", "company_controls"}}},
        {"VT in the e-mail", &FormInput::email, "a\x0b@example.com", {{"email", "email_controls"}}},
        {"CR LF in the message", &FormInput::message, "Line 1\r\nLine 2\r\n\tindented", {}},
        {"LF in the message", &FormInput::message, "Line 1\nLine 2", {}},
        {"lone CR in the message",
         &FormInput::message,
         "Line 1\rLine 2",
         {{"message", "message_controls"}}},
        {"CR at the end of the message",
         &FormInput::message,
         "Line 1\r",
         {{"message", "message_controls"}}},
        {"ESC in the message", &FormInput::message, "Hi\x1b[2J", {{"message", "message_controls"}}},
        {"NUL in the message",
         &FormInput::message,
         std::string("Hi\0", 3),
         {{"message", "message_controls"}}},
        {"U+0085 in the message",
         &FormInput::message,
         "Hi\xc2\x85",
         {{"message", "message_controls"}}},
        {"U+2028 in the message",
         &FormInput::message,
         "Hi\xe2\x80\xa8",
         {{"message", "message_controls"}}},
        {"a C1 byte that is not UTF-8", &FormInput::name, "Eve\x85", {{"form", "invalid_utf8"}}},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        FormInput in = valid();
        in.*c.field = c.value;
        CHECK(validateForm(in) == c.expected);
    }
}

TEST_CASE("text for a mail header is put on one line and RFC 2047 encoded when not ASCII") {
    const std::pair<std::string, std::string> cases[] = {
        {"Contact form: Ada", "Contact form: Ada"},
        {"Eve\r\nBcc: a@evil.test\r\n\r\n<h1>", "Eve  Bcc: a@evil.test    <h1>"},
        {"a\tb\x1b[31m\x7f", "a b [31m "},
        {"x\xc2\x85y\xe2\x80\xa8z", "x y z"},
        {"bad \xff byte", "=?UTF-8?q?bad_=EF=BF=BD_byte?="},
        {"J\xc3\xbcrgen", "=?UTF-8?q?J=C3=BCrgen?="},
        {"J\xc3\xbcrgen\r\nBcc: a@evil.test", "=?UTF-8?q?J=C3=BCrgen__Bcc=3A_a=40evil=2Etest?="},
    };
    for (const auto& [in, out] : cases) {
        INFO(in);
        const std::string header = headerText(in);
        CHECK(header == out);
        CHECK(header.find_first_of("\r\n") == std::string::npos);
    }
}

TEST_CASE("the re-rendered form keeps the input, escaped, and shows errors beside the fields") {
    FormView view;
    view.locale = "de";
    view.action = "/de/kontakt/";
    view.token = "1.x";
    view.input.name = "<script>alert(1)</script>";
    view.input.message = "Hallo \"Welt\"";
    view.errors = {{"email", "email_invalid"}};
    const std::string html = renderForm(view);
    CHECK(html.find("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\"") != std::string::npos);
    CHECK(html.find("<script>") == std::string::npos);
    CHECK(html.find(">Hallo &quot;Welt&quot;</textarea>") != std::string::npos);
    CHECK(html.find("<span class=\"error\" id=\"contact-email-error\">Bitte geben Sie eine "
                    "gültige E-Mail-Adresse ein.</span>") != std::string::npos);
    CHECK(html.find("aria-describedby=\"contact-email-error\"") != std::string::npos);
    CHECK(html.find("name=\"website\"") != std::string::npos);
    CHECK(html.find("<html lang=\"de\">") != std::string::npos);
}
