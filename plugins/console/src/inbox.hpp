#pragma once

#include <optional>
#include <string>
#include <vector>

#include "portico/sdk/data.hpp"

namespace portico::plugins::console {

/// One message of the contact plugin's inbox.
struct Message {
    std::string id, created_at, locale, name, email, company, message;
    std::string answered_at;  ///< "" while unanswered
};

/// The contact plugin's inbox, through the table it owns and documents for the console
/// (`contact_messages`; plugins/contact/README.md "The inbox in the store"): read, mark
/// answered, delete (the outbox row goes with it: ON DELETE CASCADE). Every call takes a
/// session of its own and throws Poco::Exception when the store cannot be reached.
class Inbox {
public:
    explicit Inbox(sdk::DataStore& store) : store_(store) {}
    /// The newest `limit` messages, newest first (limit 0: all).
    std::vector<Message> list(std::size_t limit) const;
    std::optional<Message> find(const std::string& id) const;
    /// False when there is no such message.
    bool markAnswered(const std::string& id, const std::string& at);
    bool remove(const std::string& id);
    /// Every message as RFC 4180 CSV (sdk::csvRow), oldest first.
    std::string csv() const;

private:
    sdk::DataStore& store_;
};

}  // namespace portico::plugins::console
