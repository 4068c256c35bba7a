#pragma once

#include <spdlog/logger.h>

#include <chrono>
#include <memory>
#include <string>

#include "config.hpp"
#include "message_store.hpp"
#include "portico/sdk/clock.hpp"
#include "portico/sdk/metrics.hpp"

namespace portico::plugins::contact {

/// `text` as a mail header value: on one line (see `oneLine`), RFC 2047 encoded when it is
/// not ASCII. Pure.
std::string headerText(const std::string& text);

/// Wait before attempt `attempts + 1` after `attempts` failures: base * 2^(attempts-1), capped.
std::chrono::milliseconds backoff(int attempts, std::chrono::milliseconds base,
                                  std::chrono::milliseconds max);

/// Sends the owner one e-mail per stored message, from the outbox: an SMTP outage delays a
/// notification (retries with backoff) but never loses it. Runs on the scheduler thread.
class Notifier {
public:
    Notifier(NotifyConfig config, MessageStore& store, const sdk::Clock& clock,
             std::shared_ptr<spdlog::logger> logger, sdk::metrics::Registry& metrics);
    /// Sends every due notification once. Store errors are logged and retried next time.
    void runOnce();

private:
    void send(const StoredMessage& message);

    NotifyConfig config_;
    MessageStore& store_;
    const sdk::Clock& clock_;
    std::shared_ptr<spdlog::logger> logger_;
    sdk::metrics::Counter& sent_;
    sdk::metrics::Counter& failed_;
};

}  // namespace portico::plugins::contact
