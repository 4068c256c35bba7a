#include "message_store.hpp"

#include <Poco/Data/Statement.h>

#include <cstdio>
#include <ctime>

namespace portico::plugins::contact {

namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

}  // namespace

std::string isoTime(std::chrono::system_clock::time_point t) {
    const std::time_t secs = std::chrono::system_clock::to_time_t(t);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[40];
    const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms < 0 ? ms + 1000 : ms));
    return buf;
}

std::vector<sdk::Migration> migrations() {
    return {
        {1, "create contact_messages",
         "CREATE TABLE contact_messages (\n"
         "  id TEXT PRIMARY KEY,\n"
         "  created_at TEXT NOT NULL,\n"
         "  locale TEXT NOT NULL,\n"
         "  name TEXT NOT NULL,\n"
         "  email TEXT NOT NULL,\n"
         "  company TEXT NOT NULL,\n"
         "  message TEXT NOT NULL,\n"
         "  consent INTEGER NOT NULL,\n"
         "  client_hash TEXT NOT NULL,\n"
         "  user_agent TEXT NOT NULL\n"
         ");\n"
         "CREATE INDEX contact_messages_created_at ON contact_messages (created_at);\n",
         ""},
        {2, "create contact_outbox",
         "CREATE TABLE contact_outbox (\n"
         "  message_id TEXT PRIMARY KEY REFERENCES contact_messages (id) ON DELETE CASCADE,\n"
         "  attempts INTEGER NOT NULL,\n"
         "  next_attempt_at TEXT NOT NULL,\n"
         "  last_error TEXT NOT NULL,\n"
         "  sent_at TEXT NOT NULL\n"
         ");\n"
         "CREATE INDEX contact_outbox_due ON contact_outbox (sent_at, next_attempt_at);\n",
         ""},
        {3, "create contact_tokens",
         "CREATE TABLE contact_tokens (\n"
         "  token_key TEXT PRIMARY KEY,\n"
         "  expires_at TEXT NOT NULL\n"
         ");\n"
         "CREATE INDEX contact_tokens_expires_at ON contact_tokens (expires_at);\n",
         ""},
        // The console marks a message answered (README "The inbox in the store").
        {4, "add contact_messages.answered_at",
         "ALTER TABLE contact_messages ADD COLUMN answered_at TEXT NOT NULL DEFAULT '';\n", ""},
    };
}

bool MessageStore::insert(const StoredMessage& m, bool notify, const UsedToken& token) {
    Poco::Data::Session s = data_.session();
    StoredMessage v = m;  // Poco binds lvalues
    UsedToken t = token;
    int consent = v.consent ? 1 : 0;
    s.begin();
    try {
        // The primary key decides between two posts of one token, also across replicas: the
        // second waits for the first's transaction and then inserts nothing.
        std::vector<std::string> recorded;
        s << data_.sql(
            "INSERT INTO contact_tokens (token_key, expires_at) VALUES (?, ?) "
            "ON CONFLICT DO NOTHING RETURNING token_key"),
            use(t.key), use(t.expires_at), into(recorded), now;
        if (recorded.empty()) {
            s.rollback();
            return false;
        }
        s << data_.sql(
            "INSERT INTO contact_messages (id, created_at, locale, name, email, "
            "company, message, consent, client_hash, user_agent) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            use(v.id), use(v.created_at), use(v.locale), use(v.name), use(v.email), use(v.company),
            use(v.message), use(consent), use(v.client_hash), use(v.user_agent), now;
        if (notify) {
            s << data_.sql(
                "INSERT INTO contact_outbox (message_id, attempts, next_attempt_at, "
                "last_error, sent_at) VALUES (?, 0, ?, '', '')"),
                use(v.id), use(v.created_at), now;
        }
        s.commit();
        return true;
    } catch (...) {
        try {
            s.rollback();
        } catch (...) {
            // The connection failed; nothing was committed.
        }
        throw;
    }
}

std::vector<StoredMessage> MessageStore::all() {
    Poco::Data::Session s = data_.session();
    std::vector<std::string> id, created, locale, name, email, company, message, hash, agent;
    std::vector<int> consent;
    s << "SELECT id, created_at, locale, name, email, company, message, consent, client_hash, "
         "user_agent FROM contact_messages ORDER BY created_at, id",
        into(id), into(created), into(locale), into(name), into(email), into(company),
        into(message), into(consent), into(hash), into(agent), now;
    std::vector<StoredMessage> out(id.size());
    for (std::size_t i = 0; i < id.size(); ++i) {
        out[i] = {id[i],      created[i], locale[i],       name[i], email[i],
                  company[i], message[i], consent[i] != 0, hash[i], agent[i]};
    }
    return out;
}

void MessageStore::deleteExpiredTokens(const std::string& at) {
    Poco::Data::Session s = data_.session();
    std::string t = at;
    s << data_.sql("DELETE FROM contact_tokens WHERE expires_at < ?"), use(t), now;
}

std::size_t MessageStore::deleteOlderThan(const std::string& cutoff) {
    Poco::Data::Session s = data_.session();
    std::string c = cutoff;
    std::vector<std::string> ids;
    s << data_.sql("DELETE FROM contact_messages WHERE created_at < ? RETURNING id"), use(c),
        into(ids), now;
    return ids.size();
}

std::vector<OutboxEntry> MessageStore::due(const std::string& at, int limit) {
    Poco::Data::Session s = data_.session();
    std::string t = at;
    std::vector<std::string> id, created, locale, name, email, company, message, next;
    std::vector<int> attempts;
    s << data_.sql(
        "SELECT m.id, m.created_at, m.locale, m.name, m.email, m.company, m.message, "
        "o.attempts, o.next_attempt_at FROM contact_outbox o "
        "JOIN contact_messages m ON m.id = o.message_id "
        "WHERE o.sent_at = '' AND o.next_attempt_at <= ? "
        "ORDER BY o.next_attempt_at LIMIT " +
        std::to_string(limit)),
        use(t), into(id), into(created), into(locale), into(name), into(email), into(company),
        into(message), into(attempts), into(next), now;
    std::vector<OutboxEntry> out;
    for (std::size_t i = 0; i < id.size(); ++i) {
        OutboxEntry e;
        e.message.id = id[i];
        e.message.created_at = created[i];
        e.message.locale = locale[i];
        e.message.name = name[i];
        e.message.email = email[i];
        e.message.company = company[i];
        e.message.message = message[i];
        e.attempts = attempts[i];
        e.next_attempt_at = next[i];
        out.push_back(std::move(e));
    }
    return out;
}

bool MessageStore::claim(const std::string& id, const std::string& seen_next,
                         const std::string& lease_until) {
    Poco::Data::Session s = data_.session();
    std::string i = id, seen = seen_next, lease = lease_until;
    std::vector<std::string> claimed;
    s << data_.sql(
        "UPDATE contact_outbox SET next_attempt_at = ? WHERE message_id = ? AND "
        "next_attempt_at = ? AND sent_at = '' RETURNING message_id"),
        use(lease), use(i), use(seen), into(claimed), now;
    return !claimed.empty();
}

void MessageStore::markSent(const std::string& id, const std::string& at, int attempts) {
    Poco::Data::Session s = data_.session();
    std::string i = id, a = at;
    int n = attempts;
    s << data_.sql(
        "UPDATE contact_outbox SET sent_at = ?, attempts = ?, last_error = '' "
        "WHERE message_id = ?"),
        use(a), use(n), use(i), now;
}

void MessageStore::markFailed(const std::string& id, int attempts, const std::string& next,
                              const std::string& error) {
    Poco::Data::Session s = data_.session();
    std::string i = id, nx = next, e = error.substr(0, 500);
    int n = attempts;
    s << data_.sql(
        "UPDATE contact_outbox SET attempts = ?, next_attempt_at = ?, last_error = ? "
        "WHERE message_id = ?"),
        use(n), use(nx), use(e), use(i), now;
}

}  // namespace portico::plugins::contact
