#include "inbox.hpp"

#include <Poco/Data/Statement.h>

#include "portico/sdk/csv.hpp"

namespace portico::plugins::console {

namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

constexpr const char* kColumns =
    "SELECT id, created_at, locale, name, email, company, message, answered_at "
    "FROM contact_messages ";

std::vector<Message> select(sdk::DataStore& store, const std::string& tail,
                            std::vector<std::string> params) {
    auto s = store.session();
    Poco::Data::Statement st(s);
    st << store.sql(kColumns + tail);
    for (auto& p : params) st, use(p);
    std::vector<std::string> id, created, locale, name, email, company, message, answered;
    st, into(id), into(created), into(locale), into(name), into(email), into(company),
        into(message), into(answered);
    st.execute();
    std::vector<Message> out;
    for (std::size_t i = 0; i < id.size(); ++i) {
        out.push_back(
            {id[i], created[i], locale[i], name[i], email[i], company[i], message[i], answered[i]});
    }
    return out;
}

}  // namespace

std::vector<Message> Inbox::list(std::size_t max) const {
    return select(
        store_,
        "ORDER BY created_at DESC, id" + (max ? " LIMIT " + std::to_string(max) : std::string()),
        {});
}

std::optional<Message> Inbox::find(const std::string& id) const {
    auto found = select(store_, "WHERE id = ?", {id});
    if (found.empty()) return std::nullopt;
    return found.front();
}

bool Inbox::markAnswered(const std::string& id, const std::string& at) {
    auto s = store_.session();
    std::string i = id, a = at;
    Poco::Data::Statement st(s);
    st << store_.sql(
        "UPDATE contact_messages SET answered_at = ? WHERE id = ? AND "
        "answered_at = ''"),
        use(a), use(i);
    // execute() answers the rows an UPDATE or DELETE affected.
    return st.execute() > 0 || find(id).has_value();
}

bool Inbox::remove(const std::string& id) {
    auto s = store_.session();
    std::string i = id;
    Poco::Data::Statement st(s);
    st << store_.sql("DELETE FROM contact_messages WHERE id = ?"), use(i);
    return st.execute() > 0;
}

std::string Inbox::csv() const {
    std::string out = sdk::csvRow(
        {"id", "created_at", "locale", "name", "email", "company", "message", "answered_at"});
    auto all = select(store_, "ORDER BY created_at, id", {});
    for (const auto& m : all) {
        out += sdk::csvRow(
            {m.id, m.created_at, m.locale, m.name, m.email, m.company, m.message, m.answered_at});
    }
    return out;
}

}  // namespace portico::plugins::console
