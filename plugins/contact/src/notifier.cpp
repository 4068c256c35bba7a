#include "notifier.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MailRecipient.h>
#include <Poco/Net/SMTPClientSession.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include "form.hpp"

namespace portico::plugins::contact {

namespace {

// A claimed entry whose sender died is retried after this long.
constexpr std::chrono::minutes kLease{5};
constexpr int kBatch = 20;

}  // namespace

std::string headerText(const std::string& text) {
    return Poco::Net::MailMessage::encodeWord(oneLine(text), "UTF-8");
}

std::chrono::milliseconds backoff(int attempts, std::chrono::milliseconds base,
                                  std::chrono::milliseconds max) {
    std::chrono::milliseconds wait = base;
    for (int i = 1; i < attempts && wait < max; ++i) wait *= 2;
    return std::min(wait, max);
}

Notifier::Notifier(NotifyConfig config, MessageStore& store, const sdk::Clock& clock,
                   std::shared_ptr<spdlog::logger> logger, sdk::metrics::Registry& metrics)
    : config_(std::move(config)),
      store_(store),
      clock_(clock),
      logger_(std::move(logger)),
      sent_(metrics.counter("portico_contact_notifications_total",
                            "Notification e-mails about contact messages, by outcome",
                            {{"outcome", "sent"}})),
      failed_(metrics.counter("portico_contact_notifications_total",
                              "Notification e-mails about contact messages, by outcome",
                              {{"outcome", "failed"}})) {}

void Notifier::runOnce() {
    std::vector<OutboxEntry> due;
    try {
        due = store_.due(isoTime(clock_.now()), kBatch);
    } catch (const Poco::Exception& e) {
        logger_->warn("outbox: cannot read: {}", e.displayText());
        return;
    }
    for (const auto& entry : due) {
        const auto start = clock_.now();
        try {
            if (!store_.claim(entry.message.id, entry.next_attempt_at, isoTime(start + kLease))) {
                continue;  // another replica is sending it
            }
        } catch (const Poco::Exception& e) {
            logger_->warn("outbox: cannot claim {}: {}", entry.message.id, e.displayText());
            continue;
        }
        const int attempts = entry.attempts + 1;
        try {
            send(entry.message);
        } catch (const std::exception& e) {
            const auto* poco = dynamic_cast<const Poco::Exception*>(&e);
            const std::string why = poco ? poco->displayText() : e.what();
            const auto wait = backoff(attempts, std::chrono::milliseconds(config_.retry_base_ms),
                                      std::chrono::milliseconds(config_.max_backoff_ms));
            failed_.inc();
            logger_->warn("notification for message {} failed (attempt {}): {}; retry in {} ms",
                          entry.message.id, attempts, why, wait.count());
            try {
                store_.markFailed(entry.message.id, attempts, isoTime(clock_.now() + wait), why);
            } catch (const Poco::Exception& e2) {
                logger_->warn("outbox: cannot record failure: {}", e2.displayText());
            }
            continue;
        }
        sent_.inc();
        logger_->info("notification for message {} sent to {} (attempt {})", entry.message.id,
                      config_.to, attempts);
        try {
            store_.markSent(entry.message.id, isoTime(clock_.now()), attempts);
        } catch (const Poco::Exception& e) {
            // The lease expires and the mail goes out once more: a duplicate, never a loss.
            logger_->warn("outbox: cannot mark {} sent: {}", entry.message.id, e.displayText());
        }
    }
}

void Notifier::send(const StoredMessage& m) {
    const Poco::Timespan timeout(static_cast<Poco::Timespan::TimeDiff>(config_.timeout_ms) * 1000);
    Poco::Net::StreamSocket socket;
    socket.connect(Poco::Net::SocketAddress(config_.smtp_host, config_.smtp_port), timeout);
    Poco::Net::SMTPClientSession smtp(socket);
    smtp.setTimeout(timeout);
    smtp.login();
    Poco::Net::MailMessage mail;
    mail.setSender(config_.from);
    mail.addRecipient(
        Poco::Net::MailRecipient(Poco::Net::MailRecipient::PRIMARY_RECIPIENT, config_.to));
    // Visitor text in a header: on one line (validation refuses control characters, but a row
    // may predate that or come from elsewhere), then RFC 2047 encoded where it is not ASCII.
    // The address is validated to hold none of the characters that would need quoting.
    mail.set("Reply-To", oneLine(m.email));
    mail.setSubject(headerText("Contact form: " + m.name));
    mail.setContentType("text/plain; charset=UTF-8");
    std::string body = "From: " + oneLine(m.name) + " <" + oneLine(m.email) + ">\n";
    if (!m.company.empty()) body += "Company: " + oneLine(m.company) + "\n";
    body += "Locale: " + m.locale + "\nReceived: " + m.created_at + "\nId: " + m.id + "\n\n" +
            m.message + "\n";
    mail.setContent(body, Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
    smtp.sendMessage(mail);
    smtp.close();
}

}  // namespace portico::plugins::contact
