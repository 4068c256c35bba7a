#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include "config.hpp"
#include "guard.hpp"
#include "portico/sdk/command.hpp"
#include "portico/sdk/context.hpp"
#include "portico/sdk/messages.hpp"
#include "portico/sdk/plugin.hpp"
#include "render.hpp"

namespace portico::plugins::console {

/// The operator's console on the admin listener: the insights figures, the host's request
/// metrics, the plugins, the contact inbox and the backups, as server-rendered HTML with
/// inline SVG charts, behind a login when the listener leaves loopback.
class ConsolePlugin final : public sdk::Plugin {
public:
    void configure(sdk::Context& ctx) override;
    void start(sdk::Context& ctx) override;
    void stop() noexcept override;

    /// `portico console hash-password`: reads a password from stdin, prints its hash.
    int runCommand(sdk::CommandContext& cmd);

private:
    void route(const std::string& method, const std::string& path, sdk::Handler handler);
    // Handlers (actions.cpp for the POSTs).
    void dashboard(const sdk::Request& req, sdk::Response& res);
    void loginForm(const sdk::Request& req, sdk::Response& res);
    void login(const sdk::Request& req, sdk::Response& res);
    void logout(const sdk::Request& req, sdk::Response& res);
    void message(const sdk::Request& req, sdk::Response& res);
    void confirmDelete(const sdk::Request& req, sdk::Response& res);
    void showMessage(const sdk::Request& req, sdk::Response& res,
                     std::string (*render)(const View&, const Message&));
    void answer(const sdk::Request& req, sdk::Response& res);
    void remove(const sdk::Request& req, sdk::Response& res);
    void exportCsv(const sdk::Request& req, sdk::Response& res);
    void backup(const sdk::Request& req, sdk::Response& res);

    /// The view of this request: language (?lang, a form's lang, else Accept-Language),
    /// period and the session's CSRF token.
    View viewOf(const sdk::Request& req, const std::string& session) const;
    /// For a page: false (and a 303 to the login) without a live session.
    bool signedIn(const sdk::Request& req, sdk::Response& res, std::string& session) const;
    /// For a POST: false (and a 403 page) without a live session, from another origin, or
    /// without the session's CSRF token.
    /// `signing_in`: the sign-in form, which has the token of no session.
    bool allowed(const sdk::Request& req, sdk::Response& res, std::string& session,
                 bool signing_in = false) const;
    void sendPage(sdk::Response& res, int status, const View& v, std::string html) const;
    void sendRedirect(sdk::Response& res, const std::string& location) const;
    bool pluginStarted(const std::string& id) const;
    std::vector<PluginRow> pluginRows(const HostFigures& figures) const;
    void sample();
    std::vector<double> ratePerMinute() const;

    ConsoleConfig config_;
    sdk::Context* ctx_ = nullptr;  // valid from configure() until after stop()
    sdk::Messages texts_;
    std::unique_ptr<Guard> guard_;
    std::string csp_;

    mutable std::mutex samples_mutex_;
    std::deque<std::pair<std::chrono::steady_clock::time_point, std::uint64_t>> samples_;
};

/// The fields of a form body (application/x-www-form-urlencoded) or query: the value of
/// `name`, percent-decoded, or "".
std::string field(const std::string& urlencoded, const std::string& name);

/// The value of cookie `name` in a Cookie header, or "".
std::string cookie(const sdk::Request& req, const std::string& name);

constexpr const char* kCookie = "portico_console";

}  // namespace portico::plugins::console
