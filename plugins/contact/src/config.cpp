#include "config.hpp"

#include "form.hpp"
#include "portico/sdk/errors.hpp"
#include "strings.hpp"

namespace portico::plugins::contact {

const char* const kSchema = R"json({
  "type": "object",
  "properties": {
    "secret": {"type": "string", "default": "",
      "description": "Server secret (at least 16 characters, e.g. \"${CONTACT_SECRET:-}\") for the form token's HMAC and the salted hash of client addresses. Empty: a random secret is generated once and kept in <data_dir>/contact.secret (mode 0600); several replicas must share one set here. Changing it invalidates forms already on screen."},
    "pages": {"type": "object",
      "default": {"de": {"path": "/de/kontakt/", "thanks_path": "/de/kontakt/danke/"},
                  "en": {"path": "/en/contact/", "thanks_path": "/en/contact/thanks/"}},
      "additionalProperties": {"type": "object", "required": ["path", "thanks_path"],
        "properties": {
          "path": {"type": "string", "description": "URL path of the form: GET shows it, POST sends it."},
          "thanks_path": {"type": "string", "description": "URL path of the thank-you page a stored message is redirected to (303)."}
        }},
      "description": "Form and thank-you page per locale (de and en have built-in texts)."},
    "min_fill_seconds": {"type": "integer", "minimum": 0, "maximum": 3600, "default": 3,
      "description": "Forms sent sooner than this after they were served are refused as automated."},
    "max_age_seconds": {"type": "integer", "minimum": 60, "maximum": 2592000, "default": 86400,
      "description": "Forms older than this are refused as stale; the visitor gets a fresh form with their input."},
    "retention_days": {"type": "integer", "minimum": 0, "maximum": 36500, "default": 365,
      "description": "Messages older than this many days are deleted (checked hourly); 0 keeps them."},
    "retry_after_seconds": {"type": "integer", "minimum": 1, "maximum": 86400, "default": 30,
      "description": "Retry-After sent with the 503 when the store is unavailable."},
    "notify": {"type": "object", "default": {},
      "description": "E-mail to the owner for each message, sent from an outbox table with retries.",
      "properties": {
        "enabled": {"type": "boolean", "default": false, "description": "Send notifications."},
        "smtp_host": {"type": "string", "default": "127.0.0.1", "description": "SMTP relay host (plain SMTP, no auth)."},
        "smtp_port": {"type": "integer", "minimum": 1, "maximum": 65535, "default": 25, "description": "SMTP relay port."},
        "from": {"type": "string", "default": "", "description": "Envelope and header sender."},
        "to": {"type": "string", "default": "", "description": "The owner's address."},
        "interval_ms": {"type": "integer", "minimum": 50, "maximum": 86400000, "default": 10000, "description": "How often the outbox is looked at."},
        "retry_base_ms": {"type": "integer", "minimum": 50, "maximum": 86400000, "default": 30000, "description": "Wait after the first failed attempt; doubles per failure."},
        "max_backoff_ms": {"type": "integer", "minimum": 50, "maximum": 604800000, "default": 3600000, "description": "Longest wait between attempts."},
        "timeout_ms": {"type": "integer", "minimum": 100, "maximum": 600000, "default": 10000, "description": "Connect and reply timeout of one SMTP attempt."}
      }}
  }
})json";

ContactConfig readConfig(const nlohmann::json& block) {
    ContactConfig c;
    sdk::ConfigErrors errors;
    c.secret = block.at("secret").get<std::string>();
    if (!c.secret.empty() && utf8Length(c.secret) < kMinSecretLength) {
        // The value itself is not echoed: it is a secret.
        errors.add("secret", "must be at least " + std::to_string(kMinSecretLength) +
                                 " characters long, got " + std::to_string(utf8Length(c.secret)));
    }
    for (const auto& [locale, pages] : block.at("pages").items()) {
        LocalePages p{pages.at("path").get<std::string>(),
                      pages.at("thanks_path").get<std::string>()};
        const std::string at = "pages." + locale;
        if (!hasStrings(locale)) {
            errors.add(at, "no built-in texts for locale \"" + locale + "\"; use \"de\" or \"en\"");
        }
        if (p.path.empty() || p.path.front() != '/') {
            errors.add(at + ".path", "must start with '/', got \"" + p.path + "\"");
        }
        if (p.thanks_path.empty() || p.thanks_path.front() != '/') {
            errors.add(at + ".thanks_path", "must start with '/', got \"" + p.thanks_path + "\"");
        }
        if (p.path == p.thanks_path) {
            errors.add(at + ".thanks_path", "must differ from path, got \"" + p.thanks_path + "\"");
        }
        c.pages[locale] = p;
    }
    if (c.pages.empty()) errors.add("pages", "must name at least one locale");
    c.min_fill_seconds = block.at("min_fill_seconds").get<std::uint32_t>();
    c.max_age_seconds = block.at("max_age_seconds").get<std::uint32_t>();
    if (c.max_age_seconds <= c.min_fill_seconds) {
        errors.add("max_age_seconds",
                   "must be more than min_fill_seconds, got " + std::to_string(c.max_age_seconds));
    }
    c.retention_days = block.at("retention_days").get<std::uint32_t>();
    c.retry_after_seconds = block.at("retry_after_seconds").get<std::uint32_t>();
    const auto& n = block.at("notify");
    // Defaults inside "notify" are not filled when the whole block was defaulted to {}.
    const NotifyConfig d;
    c.notify.enabled = n.value("enabled", d.enabled);
    c.notify.smtp_host = n.value("smtp_host", d.smtp_host);
    c.notify.smtp_port = n.value("smtp_port", d.smtp_port);
    c.notify.from = n.value("from", d.from);
    c.notify.to = n.value("to", d.to);
    c.notify.interval_ms = n.value("interval_ms", d.interval_ms);
    c.notify.retry_base_ms = n.value("retry_base_ms", d.retry_base_ms);
    c.notify.max_backoff_ms = n.value("max_backoff_ms", d.max_backoff_ms);
    c.notify.timeout_ms = n.value("timeout_ms", d.timeout_ms);
    if (c.notify.enabled) {
        if (c.notify.from.find('@') == std::string::npos) {
            errors.add("notify.from", "must be an e-mail address, got \"" + c.notify.from + "\"");
        }
        if (c.notify.to.find('@') == std::string::npos) {
            errors.add("notify.to", "must be an e-mail address, got \"" + c.notify.to + "\"");
        }
    }
    errors.throwIfAny();
    return c;
}

}  // namespace portico::plugins::contact
