// `portico contact list|export`: the owner's view of the contact plugin's messages. Reads the
// plugin's table (contact_messages, see plugins/contact/README.md) straight from the store.
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "cli.hpp"
#include "config.hpp"
#include "config_report.hpp"
#include "portico/sdk/http.hpp"
#include "store/store.hpp"

namespace portico::host {

namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;

struct Messages {
    std::vector<std::string> id, created_at, locale, name, email, company, message, client_hash,
        user_agent;
    std::vector<int> consent;
};

constexpr const char* kColumns[] = {"id",          "created_at", "locale",  "name",
                                    "email",       "company",    "message", "consent",
                                    "client_hash", "user_agent"};

// A CSV field per RFC 4180, always quoted, so that no separator a spreadsheet may split on
// (',' or ';' in German Excel) ends it; one starting with = + - @ tab or CR gets a leading '
// so that spreadsheets show it as text instead of running it as a formula (OWASP).
std::string csvField(const std::string& text) {
    std::string out = "\"";
    if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string::npos) {
        out += '\'';
    }
    for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

// One message for a terminal: whatever the visitor wrote is escaped (sdk::escapeControls), so
// it cannot move the cursor, set the title or colours, or forge lines.
std::string listEntry(const Messages& m, std::size_t i) {
    const std::string& message = m.message[i];
    std::size_t cut = std::min<std::size_t>(message.size(), 200);
    while (cut > 0 && cut < message.size() &&
           (static_cast<unsigned char>(message[cut]) & 0xC0) == 0x80) {
        --cut;  // do not cut a character in two
    }
    std::string preview = message.substr(0, cut);
    for (auto& c : preview) {
        if (c == '\n' || c == '\r') c = ' ';  // line breaks are expected in a message
    }
    const auto shown = [](const std::string& text) { return sdk::escapeControls(text); };
    return m.created_at[i] + "  [" + m.locale[i] + "]  " + shown(m.name[i]) + " <" +
           shown(m.email[i]) + ">" +
           (m.company[i].empty() ? "" : "  (" + shown(m.company[i]) + ")") + "\n    " +
           shown(preview) + "\n";
}

// Reads every stored message; false (after saying why on stderr) when the store cannot.
bool readMessages(Store& store, Messages& m) {
    try {
        Poco::Data::Session session = store.session();
        session << "SELECT id, created_at, locale, name, email, company, message, consent, "
                   "client_hash, user_agent FROM contact_messages ORDER BY created_at, id",
            into(m.id), into(m.created_at), into(m.locale), into(m.name), into(m.email),
            into(m.company), into(m.message), into(m.consent), into(m.client_hash),
            into(m.user_agent), now;
        return true;
    } catch (const std::exception& e) {
        const auto* poco = dynamic_cast<const Poco::Exception*>(&e);
        std::fprintf(stderr,
                     "contact: cannot read messages from %s: %s (has the contact plugin run?)\n",
                     store.describe().c_str(), poco ? poco->displayText().c_str() : e.what());
        return false;
    }
}

std::string renderList(const Messages& m) {
    std::string text;
    const std::size_t n = m.id.size();
    for (std::size_t i = 0; i < n; ++i) text += listEntry(m, i);
    return text + std::to_string(n) + (n == 1 ? " message\n" : " messages\n");
}

std::string renderCsv(const Messages& m) {
    std::string text;
    for (std::size_t c = 0; c < std::size(kColumns); ++c) {
        text += (c ? "," : "") + csvField(kColumns[c]);
    }
    text += "\r\n";
    for (std::size_t i = 0; i < m.id.size(); ++i) {
        const std::vector<std::string> row = {
            m.id[i],          m.created_at[i], m.locale[i],  m.name[i],
            m.email[i],       m.company[i],    m.message[i], std::to_string(m.consent[i]),
            m.client_hash[i], m.user_agent[i]};
        for (std::size_t c = 0; c < row.size(); ++c) text += (c ? "," : "") + csvField(row[c]);
        text += "\r\n";
    }
    return text;
}

std::string renderJson(const Messages& m) {
    nlohmann::json all = nlohmann::json::array();
    for (std::size_t i = 0; i < m.id.size(); ++i) {
        all.push_back({{"id", m.id[i]},
                       {"created_at", m.created_at[i]},
                       {"locale", m.locale[i]},
                       {"name", m.name[i]},
                       {"email", m.email[i]},
                       {"company", m.company[i]},
                       {"message", m.message[i]},
                       {"consent", m.consent[i] != 0},
                       {"client_hash", m.client_hash[i]},
                       {"user_agent", m.user_agent[i]}});
    }
    return all.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

// Writes `text` to `path`; 0, or 1 after saying why.
int writeExport(const std::string& path, const std::string& text, std::size_t count) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) {
        std::fprintf(stderr, "contact: cannot write \"%s\"\n", path.c_str());
        return 1;
    }
    std::fprintf(stderr, "contact: wrote %zu messages to %s\n", count, path.c_str());
    return 0;
}

}  // namespace

int runContact(const CommandLine& cli) {
    const std::string sub = cli.positional.empty() ? "" : cli.positional.front();
    if (sub != "list" && sub != "export") {
        std::fprintf(stderr, "contact: expected 'list' or 'export', got \"%s\"\n", sub.c_str());
        return 2;
    }
    std::string format = "csv";
    if (auto it = cli.options.find("format"); it != cli.options.end()) format = it->second;
    if (sub == "export" && format != "csv" && format != "json") {
        std::fprintf(stderr, "contact: --format: must be \"csv\" or \"json\", got \"%s\"\n",
                     format.c_str());
        return 2;
    }
    const auto loaded = loadConfigOrReport(configPath(cli));
    if (!loaded) return 1;
    Store store(loaded->database, loaded->site.data_dir, true);
    Messages m;
    if (!readMessages(store, m)) return 1;
    const std::string text = sub == "list"     ? renderList(m)
                             : format == "csv" ? renderCsv(m)
                                               : renderJson(m);
    if (auto it = cli.options.find("out"); it != cli.options.end() && sub == "export") {
        return writeExport(it->second, text, m.id.size());
    }
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
}

}  // namespace portico::host
