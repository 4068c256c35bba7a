#include "catalog.hpp"

#include <nlohmann/json.hpp>

namespace portico::plugins::console {

namespace {

const char* const kTexts = R"json({
  "en": {
    "title": "Console", "skip": "Skip to the figures", "language": "Language",
    "period": "Period", "days": "{n} days",
    "traffic": {"title": "Visitors and page views", "visitors": "Visitors",
      "views": "Page views", "chart": "Page views (wide bars) and visitors (narrow bars) per day, {from} to {to}",
      "off": "The insights plugin is not enabled, so nothing is counted."},
    "top": {"pages": "Top pages", "referrers": "Referrers", "campaigns": "Campaigns",
      "locales": "Languages", "devices": "Devices", "not_found": "Missing pages (404) worth fixing",
      "value": "Value", "views": "Views", "none": "None yet.", "empty": "(none)"},
    "host": {"title": "Requests", "rate": "Requests per minute, last {n} samples",
      "total": "Requests answered since start", "status": "Status classes: {mix}",
      "latency": "Latency", "p50": "median", "p90": "90th percentile", "p99": "99th percentile",
      "off": "The metrics plugin is not enabled, so requests are not counted."},
    "plugins": {"title": "Plugins", "id": "Plugin", "version": "Version", "state": "State",
      "health": "Health", "hooks": "Time per call", "none": "no checks"},
    "inbox": {"title": "Inbox", "count": "{n} messages", "date": "Received", "from": "From",
      "excerpt": "Message", "status": "Status", "answered": "answered", "open": "open",
      "read": "Read", "export": "Export as CSV", "empty": "No messages.",
      "off": "The contact plugin is not enabled.", "back": "Back to the console",
      "mark": "Mark as answered", "delete": "Delete…", "company": "Company",
      "email": "E-mail", "locale": "Language",
      "confirm": "Delete this message for good? This cannot be undone.",
      "confirm_button": "Yes, delete it", "cancel": "Keep it", "missing": "No such message."},
    "backups": {"title": "Backups", "name": "File", "size": "Size", "take": "Take a backup now",
      "empty": "No backups yet.", "taken": "Backup written: {name}", "failed": "Backup failed: {why}"},
    "login": {"title": "Sign in", "password": "Password", "submit": "Sign in",
      "wrong": "Wrong password.", "limited": "Too many failed attempts. Try again later.",
      "logout": "Sign out"},
    "refused": {"title": "Refused", "csrf": "This form has expired or did not come from the console. Go back, reload the page and try again."},
    "store_down": "The data store cannot be read right now."
  },
  "de": {
    "title": "Konsole", "skip": "Zu den Zahlen springen", "language": "Sprache",
    "period": "Zeitraum", "days": "{n} Tage",
    "traffic": {"title": "Besucher und Seitenaufrufe", "visitors": "Besucher",
      "views": "Seitenaufrufe", "chart": "Seitenaufrufe (breite Balken) und Besucher (schmale Balken) pro Tag, {from} bis {to}",
      "off": "Das Insights-Plugin ist nicht aktiviert, daher wird nichts gezählt."},
    "top": {"pages": "Meistgelesene Seiten", "referrers": "Verweise", "campaigns": "Kampagnen",
      "locales": "Sprachen", "devices": "Geräte", "not_found": "Fehlende Seiten (404), die sich zu beheben lohnen",
      "value": "Wert", "views": "Aufrufe", "none": "Noch keine.", "empty": "(keiner)"},
    "host": {"title": "Anfragen", "rate": "Anfragen pro Minute, letzte {n} Messungen",
      "total": "Beantwortete Anfragen seit dem Start", "status": "Statusklassen: {mix}",
      "latency": "Antwortzeit", "p50": "Median", "p90": "90. Perzentil", "p99": "99. Perzentil",
      "off": "Das Metrics-Plugin ist nicht aktiviert, daher werden Anfragen nicht gezählt."},
    "plugins": {"title": "Plugins", "id": "Plugin", "version": "Version", "state": "Zustand",
      "health": "Gesundheit", "hooks": "Zeit pro Aufruf", "none": "keine Prüfungen"},
    "inbox": {"title": "Posteingang", "count": "{n} Nachrichten", "date": "Eingegangen", "from": "Von",
      "excerpt": "Nachricht", "status": "Status", "answered": "beantwortet", "open": "offen",
      "read": "Lesen", "export": "Als CSV exportieren", "empty": "Keine Nachrichten.",
      "off": "Das Kontakt-Plugin ist nicht aktiviert.", "back": "Zurück zur Konsole",
      "mark": "Als beantwortet markieren", "delete": "Löschen…", "company": "Firma",
      "email": "E-Mail", "locale": "Sprache",
      "confirm": "Diese Nachricht endgültig löschen? Das lässt sich nicht rückgängig machen.",
      "confirm_button": "Ja, löschen", "cancel": "Behalten", "missing": "Diese Nachricht gibt es nicht."},
    "backups": {"title": "Sicherungen", "name": "Datei", "size": "Größe", "take": "Jetzt sichern",
      "empty": "Noch keine Sicherungen.", "taken": "Sicherung geschrieben: {name}", "failed": "Sicherung fehlgeschlagen: {why}"},
    "login": {"title": "Anmelden", "password": "Passwort", "submit": "Anmelden",
      "wrong": "Falsches Passwort.", "limited": "Zu viele Fehlversuche. Bitte später erneut versuchen.",
      "logout": "Abmelden"},
    "refused": {"title": "Abgelehnt", "csrf": "Dieses Formular ist abgelaufen oder kam nicht aus der Konsole. Gehen Sie zurück, laden Sie die Seite neu und versuchen Sie es erneut."},
    "store_down": "Der Datenspeicher ist gerade nicht lesbar."
  }
})json";

}  // namespace

sdk::Messages catalog(const std::string& default_locale) {
    sdk::Messages messages(default_locale);
    const auto texts = nlohmann::json::parse(kTexts);
    for (const auto& [locale, catalog] : texts.items()) messages.add(locale, catalog);
    return messages;
}

}  // namespace portico::plugins::console
