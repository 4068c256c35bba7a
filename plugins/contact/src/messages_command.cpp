#include "messages_command.hpp"

#include <Poco/Exception.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string_view>

#include "portico/sdk/csv.hpp"
#include "portico/sdk/http.hpp"

namespace portico::plugins::contact {

const char* const kCommandUsage =
    "usage: portico contact list [--config FILE]\n"
    "       portico contact export [--format csv|json] [--out FILE] [--config FILE]\n\n"
    "list prints every message, oldest first. export writes all fields as CSV (RFC 4180;\n"
    "cells starting with = + - @ get a leading ') or JSON, to stdout or --out FILE.\n\n"
    "options:\n"
    "  --format F      csv (default) or json\n"
    "  --out FILE      write the export to FILE instead of stdout\n";

namespace {

constexpr const char* kColumns[] = {"id",          "created_at", "locale",  "name",
                                    "email",       "company",    "message", "consent",
                                    "client_hash", "user_agent"};

std::string listEntry(const StoredMessage& m) {
    std::size_t cut = std::min<std::size_t>(m.message.size(), 200);
    while (cut > 0 && cut < m.message.size() &&
           (static_cast<unsigned char>(m.message[cut]) & 0xC0) == 0x80) {
        --cut;  // do not cut a character in two
    }
    std::string preview = m.message.substr(0, cut);
    for (auto& c : preview) {
        if (c == '\n' || c == '\r') c = ' ';  // line breaks are expected in a message
    }
    const auto shown = [](const std::string& text) { return sdk::escapeControls(text); };
    return m.created_at + "  [" + m.locale + "]  " + shown(m.name) + " <" + shown(m.email) + ">" +
           (m.company.empty() ? "" : "  (" + shown(m.company) + ")") + "\n    " + shown(preview) +
           "\n";
}

// Writes `text` to `path`; 0, or 1 after saying why.
int writeExport(sdk::CommandContext& cmd, const std::string& path, const std::string& text,
                std::size_t count) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) {
        cmd.err() << "contact: cannot write \"" << sdk::escapeControls(path) << "\"\n";
        return 1;
    }
    cmd.err() << "contact: wrote " << count << " messages to " << sdk::escapeControls(path) << "\n";
    return 0;
}

}  // namespace

std::string renderList(const std::vector<StoredMessage>& messages) {
    std::string text;
    for (const auto& m : messages) text += listEntry(m);
    const std::size_t n = messages.size();
    return text + std::to_string(n) + (n == 1 ? " message\n" : " messages\n");
}

std::string renderCsv(const std::vector<StoredMessage>& messages) {
    std::string text;
    text += sdk::csvRow({std::begin(kColumns), std::end(kColumns)});
    for (const auto& m : messages) {
        const std::string row[] = {m.id,          m.created_at, m.locale,  m.name,
                                   m.email,       m.company,    m.message, m.consent ? "1" : "0",
                                   m.client_hash, m.user_agent};
        text += sdk::csvRow({std::begin(row), std::end(row)});
    }
    return text;
}

std::string renderJson(const std::vector<StoredMessage>& messages) {
    nlohmann::json all = nlohmann::json::array();
    for (const auto& m : messages) {
        all.push_back({{"id", m.id},
                       {"created_at", m.created_at},
                       {"locale", m.locale},
                       {"name", m.name},
                       {"email", m.email},
                       {"company", m.company},
                       {"message", m.message},
                       {"consent", m.consent},
                       {"client_hash", m.client_hash},
                       {"user_agent", m.user_agent}});
    }
    return all.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

int runMessagesCommand(MessageStore& store, sdk::CommandContext& cmd) {
    const std::string sub = cmd.words().empty() ? "" : cmd.words().front();
    if (sub != "list" && sub != "export") {
        cmd.err() << "contact: expected 'list' or 'export', got \"" << sdk::escapeControls(sub)
                  << "\"\n";
        return 2;
    }
    const std::string format = cmd.option("format", "csv");
    if (sub == "export" && format != "csv" && format != "json") {
        cmd.err() << "contact: --format: must be \"csv\" or \"json\", got \""
                  << sdk::escapeControls(format) << "\"\n";
        return 2;
    }
    std::vector<StoredMessage> messages;
    try {
        messages = store.all();
    } catch (const std::exception& e) {
        const auto* poco = dynamic_cast<const Poco::Exception*>(&e);
        cmd.err() << "contact: cannot read messages from the " << cmd.context().data().dialect()
                  << " store: " << (poco ? poco->displayText() : std::string(e.what()))
                  << " (has the contact plugin run?)\n";
        return 1;
    }
    const std::string text = sub == "list"     ? renderList(messages)
                             : format == "csv" ? renderCsv(messages)
                                               : renderJson(messages);
    if (sub == "export" && cmd.has("out")) {
        return writeExport(cmd, cmd.option("out"), text, messages.size());
    }
    cmd.out() << text;
    return 0;
}

}  // namespace portico::plugins::contact
