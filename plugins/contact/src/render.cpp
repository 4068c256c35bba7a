#include "render.hpp"

#include <cstring>

#include "portico/sdk/http.hpp"
#include "strings.hpp"

namespace portico::plugins::contact {

namespace {

struct Entry {
    const char* key;
    const char* de;
    const char* en;
};

constexpr Entry kTexts[] = {
    {"title", "Kontakt", "Contact"},
    {"intro", "Schreiben Sie uns. Felder mit * sind Pflichtfelder.",
     "Write to us. Fields marked * are required."},
    {"name", "Name *", "Name *"},
    {"email", "E-Mail *", "E-mail *"},
    {"company", "Firma", "Company"},
    {"message", "Nachricht *", "Message *"},
    {"consent", "Ich bin einverstanden, dass meine Angaben zur Beantwortung gespeichert werden. *",
     "I agree that my details are stored to answer my message. *"},
    {"website", "Bitte leer lassen", "Leave this empty"},
    {"send", "Senden", "Send"},
    {"errors_intro", "Bitte prüfen Sie die markierten Felder.", "Please check the marked fields."},
    {"name_required", "Bitte geben Sie Ihren Namen ein.", "Please enter your name."},
    {"name_too_long", "Der Name darf höchstens 200 Zeichen lang sein.",
     "The name may be at most 200 characters long."},
    {"email_required", "Bitte geben Sie Ihre E-Mail-Adresse ein.",
     "Please enter your e-mail address."},
    {"email_invalid", "Bitte geben Sie eine gültige E-Mail-Adresse ein.",
     "Please enter a valid e-mail address."},
    {"company_too_long", "Die Firma darf höchstens 200 Zeichen lang sein.",
     "The company may be at most 200 characters long."},
    {"message_required", "Bitte schreiben Sie eine Nachricht.", "Please write a message."},
    {"message_too_long", "Die Nachricht darf höchstens 5.000 Zeichen lang sein.",
     "The message may be at most 5,000 characters long."},
    {"consent_required", "Bitte stimmen Sie der Speicherung zu.",
     "Please agree to the storage of your details."},
    {"name_controls", "Der Name muss in eine Zeile passen, ohne Steuerzeichen.",
     "The name must fit on one line, without control characters."},
    {"email_controls", "Die E-Mail-Adresse muss in eine Zeile passen, ohne Steuerzeichen.",
     "The e-mail address must fit on one line, without control characters."},
    {"company_controls", "Die Firma muss in eine Zeile passen, ohne Steuerzeichen.",
     "The company must fit on one line, without control characters."},
    {"message_controls",
     "Die Nachricht darf Zeilenumbrüche und Tabulatoren enthalten, aber keine anderen "
     "Steuerzeichen.",
     "The message may contain line breaks and tabs, but no other control characters."},
    {"invalid_utf8", "Das Formular enthielt ungültige Zeichen.",
     "The form contained invalid characters."},
    {"too_fast", "Das ging sehr schnell. Bitte senden Sie das Formular noch einmal.",
     "That was very quick. Please send the form again."},
    {"expired", "Das Formular ist abgelaufen. Bitte senden Sie es noch einmal.",
     "The form has expired. Please send it again."},
    {"invalid_token",
     "Das Formular konnte nicht bestätigt werden. Bitte senden Sie es noch einmal.",
     "The form could not be verified. Please send it again."},
    {"token_used",
     "Dieses Formular wurde bereits gesendet. Möchten Sie eine weitere Nachricht schicken, "
     "senden Sie es bitte noch einmal; Ihre Eingaben sind erhalten.",
     "This form has already been sent. To send another message, please send it again; your "
     "input is kept below."},
    {"store_unavailable",
     "Ihre Nachricht konnte gerade nicht gespeichert werden. Bitte versuchen Sie es in einer "
     "Minute noch einmal; Ihre Eingaben sind erhalten.",
     "Your message could not be stored just now. Please try again in a minute; your input is "
     "kept below."},
    {"thanks_title", "Vielen Dank", "Thank you"},
    {"thanks_text", "Ihre Nachricht ist angekommen. Wir melden uns bald.",
     "Your message has arrived. We will get back to you soon."},
    {"back", "Zurück zum Formular", "Back to the form"},
};

std::string field(const FormView& v, const char* name, const std::string& value, bool area) {
    const auto it = v.errors.find(name);
    const bool bad = it != v.errors.end();
    const std::string id = std::string("contact-") + name;
    std::string html =
        "<p class=\"field\"><label for=\"" + id + "\">" + text(v.locale, name) + "</label>\n";
    const std::string attrs =
        " id=\"" + id + "\" name=\"" + name + "\"" +
        (bad ? " aria-invalid=\"true\" aria-describedby=\"" + id + "-error\"" : std::string());
    if (area) {
        html += "<textarea" + attrs + " rows=\"8\" maxlength=\"5000\">" + sdk::escapeHtml(value) +
                "</textarea>\n";
    } else {
        const bool email = std::strcmp(name, "email") == 0;
        html += std::string("<input type=\"") + (email ? "email" : "text") + "\"" + attrs +
                " maxlength=\"" + (email ? "254" : "200") + "\" value=\"" + sdk::escapeHtml(value) +
                "\">\n";
    }
    if (bad) {
        html += "<span class=\"error\" id=\"" + id + "-error\">" + text(v.locale, it->second) +
                "</span>\n";
    }
    return html + "</p>\n";
}

std::string page(const std::string& locale, const std::string& title, const std::string& body) {
    return "<!DOCTYPE html>\n<html lang=\"" + sdk::escapeHtml(locale) +
           "\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           "<meta name=\"robots\" content=\"noindex\">\n<title>" +
           title +
           "</title>\n<style>.hp{position:absolute;left:-10000px}.error{color:#b00020}"
           "</style>\n</head>\n<body>\n<main>\n" +
           body + "</main>\n</body>\n</html>\n";
}

}  // namespace

bool hasStrings(const std::string& locale) { return locale == "de" || locale == "en"; }

const char* text(const std::string& locale, const std::string& key) {
    for (const auto& e : kTexts) {
        if (key == e.key) return locale == "de" ? e.de : e.en;
    }
    return key.c_str();
}

std::string renderForm(const FormView& v) {
    const std::string& l = v.locale;
    std::string body = std::string("<h1>") + text(l, "title") + "</h1>\n";
    if (!v.notice.empty()) {
        body += "<p class=\"notice\" role=\"alert\">" + std::string(text(l, v.notice)) + "</p>\n";
    }
    if (auto it = v.errors.find("form"); it != v.errors.end()) {
        body += "<p class=\"error\" role=\"alert\">" + std::string(text(l, it->second)) + "</p>\n";
    } else if (!v.errors.empty()) {
        body +=
            "<p class=\"error\" role=\"alert\">" + std::string(text(l, "errors_intro")) + "</p>\n";
    }
    body += "<p>" + std::string(text(l, "intro")) + "</p>\n";
    body += "<form method=\"post\" action=\"" + sdk::escapeHtml(v.action) +
            "\" accept-charset=\"utf-8\" novalidate>\n";
    body += field(v, "name", v.input.name, false);
    body += field(v, "email", v.input.email, false);
    body += field(v, "company", v.input.company, false);
    body += field(v, "message", v.input.message, true);
    const bool bad_consent = v.errors.count("consent") > 0;
    body +=
        std::string(
            "<p class=\"field\"><input type=\"checkbox\" id=\"contact-consent\" "
            "name=\"consent\" value=\"yes\"") +
        (v.input.consent ? " checked" : "") +
        (bad_consent ? " aria-invalid=\"true\" aria-describedby=\"contact-consent-error\"" : "") +
        "> <label for=\"contact-consent\">" + text(l, "consent") + "</label>\n";
    if (bad_consent) {
        body += std::string("<span class=\"error\" id=\"contact-consent-error\">") +
                text(l, "consent_required") + "</span>\n";
    }
    body += "</p>\n<p class=\"hp\" aria-hidden=\"true\"><label for=\"contact-website\">" +
            std::string(text(l, "website")) +
            "</label> <input type=\"text\" id=\"contact-website\" name=\"website\" value=\"\" "
            "tabindex=\"-1\" autocomplete=\"off\"></p>\n";
    body += "<input type=\"hidden\" name=\"token\" value=\"" + sdk::escapeHtml(v.token) + "\">\n";
    body += "<p><button type=\"submit\">" + std::string(text(l, "send")) + "</button></p>\n";
    body += "</form>\n";
    return page(l, text(l, "title"), body);
}

nlohmann::json formData(const FormView& v) {
    const std::string& l = v.locale;
    nlohmann::json out = {{"action", v.action},
                          {"token", v.token},
                          {"notice", v.notice.empty() ? "" : text(l, v.notice)},
                          {"errors_intro", text(l, "errors_intro")}};
    auto errors = nlohmann::json::array();
    if (auto it = v.errors.find("form"); it != v.errors.end()) {
        errors.push_back({{"id", "contact-name"}, {"message", text(l, it->second)}});
    }
    auto entry = [&](const char* name, nlohmann::json field) {
        const std::string id = std::string("contact-") + name;
        field["id"] = id;
        field["error_id"] = id + "-error";
        auto it = v.errors.find(name);
        field["error"] = it == v.errors.end() ? "" : text(l, it->second);
        if (it != v.errors.end()) errors.push_back({{"id", id}, {"message", text(l, it->second)}});
        out[name] = std::move(field);
    };
    entry("name", {{"value", v.input.name}});
    entry("email", {{"value", v.input.email}});
    entry("company", {{"value", v.input.company}});
    entry("message", {{"value", v.input.message}});
    entry("consent", {{"checked", v.input.consent}});
    out["has_errors"] = !errors.empty();
    out["errors"] = std::move(errors);
    return out;
}

std::string renderThanks(const std::string& locale, const std::string& form_path) {
    std::string body = std::string("<h1>") + text(locale, "thanks_title") + "</h1>\n<p>" +
                       text(locale, "thanks_text") + "</p>\n<p><a href=\"" +
                       sdk::escapeHtml(form_path) + "\">" + text(locale, "back") + "</a></p>\n";
    return page(locale, text(locale, "thanks_title"), body);
}

}  // namespace portico::plugins::contact
