#include "form.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <string>

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
         {{"email", "email_invalid"}}},
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
