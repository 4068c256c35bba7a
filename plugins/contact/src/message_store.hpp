#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "portico/sdk/data.hpp"

namespace portico::plugins::contact {

/// `t` as "YYYY-MM-DDTHH:MM:SS.mmmZ" (UTC). Pure.
std::string isoTime(std::chrono::system_clock::time_point t);

/// One message as stored. Times are UTC, "YYYY-MM-DDTHH:MM:SS.mmmZ" (they sort as text).
struct StoredMessage {
    std::string id;
    std::string created_at;
    std::string locale;
    std::string name;
    std::string email;
    std::string company;
    std::string message;
    bool consent = false;
    std::string client_hash;  ///< salted hash of the client address; the address is not kept
    std::string user_agent;
};

/// An outbox entry that is due, with its message.
struct OutboxEntry {
    StoredMessage message;
    int attempts = 0;
    std::string next_attempt_at;
};

/// A form token as the store keeps it once a message sent with it was stored.
struct UsedToken {
    std::string key;         ///< a keyed hash of the token (not the token itself)
    std::string expires_at;  ///< after this the token is refused as expired anyway
};

/// The plugin's tables: contact_messages, contact_outbox (one row per notification) and
/// contact_tokens (the tokens already used, until they expire).
std::vector<sdk::Migration> migrations();

/// SQL on the host's store. Every call takes its own pooled session; any thread. Throws
/// `Poco::Exception` when the store fails.
class MessageStore {
public:
    explicit MessageStore(sdk::DataStore& data) : data_(data) {}

    /// Records `token` as used and stores the message and, with `notify`, its outbox entry due
    /// at `created_at`, in one transaction. True only after the commit; false, with nothing
    /// stored, when the token was used before (by this replica or another on the same store).
    bool insert(const StoredMessage& message, bool notify, const UsedToken& token);
    /// Every stored message, oldest first (by time, then id).
    std::vector<StoredMessage> all();
    /// Forgets used tokens that expired before `now`.
    void deleteExpiredTokens(const std::string& now);
    /// Deletes messages (and their outbox entries) created before `cutoff`; returns how many.
    std::size_t deleteOlderThan(const std::string& cutoff);
    /// Unsent entries due at `now`, oldest first, at most `limit`.
    std::vector<OutboxEntry> due(const std::string& now, int limit);
    /// Takes an entry for sending until `lease_until` unless someone else took it first
    /// (another replica): true when this caller owns it.
    bool claim(const std::string& id, const std::string& seen_next, const std::string& lease_until);
    void markSent(const std::string& id, const std::string& at, int attempts);
    void markFailed(const std::string& id, int attempts, const std::string& next,
                    const std::string& error);

private:
    sdk::DataStore& data_;
};

}  // namespace portico::plugins::contact
