#include "strings.hpp"

#include "portico/sdk/messages.hpp"

namespace portico::plugins::contact {
namespace {

// The form's texts by language (the SDK's catalog format); a key missing in one language shows
// the English text.
const char* const kTexts = R"json({
  "en": {
    "title": "Contact",
    "intro": "Write to us. Fields marked * are required.",
    "name": "Name *",
    "email": "E-mail *",
    "company": "Company",
    "message": "Message *",
    "consent": "I agree that my details are stored to answer my message. *",
    "website": "Leave this empty",
    "send": "Send",
    "errors_intro": "Please check the marked fields.",
    "name_required": "Please enter your name.",
    "name_too_long": "The name may be at most 200 characters long.",
    "email_required": "Please enter your e-mail address.",
    "email_invalid": "Please enter a valid e-mail address.",
    "company_too_long": "The company may be at most 200 characters long.",
    "message_required": "Please write a message.",
    "message_too_long": "The message may be at most 5,000 characters long.",
    "consent_required": "Please agree to the storage of your details.",
    "name_controls": "The name must fit on one line, without control characters.",
    "email_controls": "The e-mail address must fit on one line, without control characters.",
    "company_controls": "The company must fit on one line, without control characters.",
    "message_controls": "The message may contain line breaks and tabs, but no other control characters.",
    "invalid_utf8": "The form contained invalid characters.",
    "too_fast": "That was very quick. Please send the form again.",
    "expired": "The form has expired. Please send it again.",
    "invalid_token": "The form could not be verified. Please send it again.",
    "token_used": "This form has already been sent. To send another message, please send it again; your input is kept below.",
    "store_unavailable": "Your message could not be stored just now. Please try again in a minute; your input is kept below.",
    "thanks_title": "Thank you",
    "thanks_text": "Your message has arrived. We will get back to you soon.",
    "back": "Back to the form"
  },
  "de": {
    "title": "Kontakt",
    "intro": "Schreiben Sie uns. Felder mit * sind Pflichtfelder.",
    "name": "Name *",
    "email": "E-Mail *",
    "company": "Firma",
    "message": "Nachricht *",
    "consent": "Ich bin einverstanden, dass meine Angaben zur Beantwortung gespeichert werden. *",
    "website": "Bitte leer lassen",
    "send": "Senden",
    "errors_intro": "Bitte prüfen Sie die markierten Felder.",
    "name_required": "Bitte geben Sie Ihren Namen ein.",
    "name_too_long": "Der Name darf höchstens 200 Zeichen lang sein.",
    "email_required": "Bitte geben Sie Ihre E-Mail-Adresse ein.",
    "email_invalid": "Bitte geben Sie eine gültige E-Mail-Adresse ein.",
    "company_too_long": "Die Firma darf höchstens 200 Zeichen lang sein.",
    "message_required": "Bitte schreiben Sie eine Nachricht.",
    "message_too_long": "Die Nachricht darf höchstens 5.000 Zeichen lang sein.",
    "consent_required": "Bitte stimmen Sie der Speicherung zu.",
    "name_controls": "Der Name muss in eine Zeile passen, ohne Steuerzeichen.",
    "email_controls": "Die E-Mail-Adresse muss in eine Zeile passen, ohne Steuerzeichen.",
    "company_controls": "Die Firma muss in eine Zeile passen, ohne Steuerzeichen.",
    "message_controls": "Die Nachricht darf Zeilenumbrüche und Tabulatoren enthalten, aber keine anderen Steuerzeichen.",
    "invalid_utf8": "Das Formular enthielt ungültige Zeichen.",
    "too_fast": "Das ging sehr schnell. Bitte senden Sie das Formular noch einmal.",
    "expired": "Das Formular ist abgelaufen. Bitte senden Sie es noch einmal.",
    "invalid_token": "Das Formular konnte nicht bestätigt werden. Bitte senden Sie es noch einmal.",
    "token_used": "Dieses Formular wurde bereits gesendet. Möchten Sie eine weitere Nachricht schicken, senden Sie es bitte noch einmal; Ihre Eingaben sind erhalten.",
    "store_unavailable": "Ihre Nachricht konnte gerade nicht gespeichert werden. Bitte versuchen Sie es in einer Minute noch einmal; Ihre Eingaben sind erhalten.",
    "thanks_title": "Vielen Dank",
    "thanks_text": "Ihre Nachricht ist angekommen. Wir melden uns bald.",
    "back": "Zurück zum Formular"
  }
})json";

const sdk::Messages& messages() {
    static const sdk::Messages loaded = [] {
        sdk::Messages m("en");
        const auto catalogs = nlohmann::json::parse(kTexts);
        for (const auto& [locale, texts] : catalogs.items()) m.add(locale, texts);
        return m;
    }();
    return loaded;
}

}  // namespace

bool hasStrings(const std::string& locale) { return messages().has(locale); }

std::string text(const std::string& locale, const std::string& key) {
    return messages().text(locale, key);
}

}  // namespace portico::plugins::contact
