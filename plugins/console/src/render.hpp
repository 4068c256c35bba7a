#pragma once

#include <optional>
#include <string>
#include <vector>

#include "backups.hpp"
#include "host_figures.hpp"
#include "inbox.hpp"
#include "portico/sdk/messages.hpp"
#include "traffic.hpp"

namespace portico::plugins::console {

/// What every console page needs: the language, its texts and the session's CSRF token.
struct View {
    std::string lang;
    const sdk::Messages* texts = nullptr;
    std::vector<std::string> locales;  ///< the site's, for the language switch
    std::string csrf;                  ///< the token every form carries
    bool signed_in = false;            ///< show the sign-out button
    int days = 30;                     ///< the period of the charts

    std::string t(const std::string& key) const { return texts->text(lang, key); }
    std::string f(const std::string& key,
                  const std::vector<std::pair<std::string, std::string>>& args) const {
        return texts->format(lang, key, args);
    }
};

/// A value a visitor wrote (a referrer, a name, a message line), for HTML: controls made
/// visible (sdk::escapeControls), then escaped (sdk::escapeHtml).
std::string shown(const std::string& text);
/// `text` percent-encoded for a query value (everything but letters, digits, '-', '_', '.').
std::string queryValue(const std::string& text);
/// A console URL with the view's language, escaped for an attribute:
/// link(v, "/console/message", "id=abc") -> "/console/message?id=abc&amp;lang=de".
std::string link(const View& v, const std::string& path, const std::string& query = "");
/// The hidden fields every form carries: the CSRF token and the language.
std::string formFields(const View& v);

/// The whole document around `body` (already HTML), titled `title`.
std::string page(const View& v, const std::string& title, const std::string& body);

std::string loginPage(const View& v, const std::string& error);
std::string messagePage(const View& v, const Message& m);
std::string confirmDeletePage(const View& v, const Message& m);
/// A page with one paragraph and a way back to the console.
std::string noticePage(const View& v, const std::string& title, const std::string& text);

/// One row of the plugins table.
struct PluginRow {
    std::string id, version, state, health, hooks;
};

/// Everything the dashboard shows; a panel whose source is off says so.
struct Dashboard {
    bool traffic_on = false;
    std::optional<Traffic> traffic;
    bool host_on = false;
    HostFigures host;
    std::vector<double> rate;  ///< requests per minute, oldest first
    std::vector<PluginRow> plugins;
    bool inbox_on = false;
    std::optional<std::vector<Message>> messages;  ///< nullopt: the store failed
    std::vector<Backup> backups;
};

std::string dashboardPage(const View& v, const Dashboard& d);

/// The console's stylesheet (served at /console/style.css).
extern const char* const kStylesheet;

}  // namespace portico::plugins::console
