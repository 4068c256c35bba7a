// The console's forms: sign-in, the inbox actions and the backup. Every POST passes allowed().
#include <Poco/Exception.h>

#include <cstdio>
#include <iostream>
#include <string>

#include "backups.hpp"
#include "console_plugin.hpp"
#include "inbox.hpp"
#include "portico/sdk/data.hpp"
#include "portico/sdk/http.hpp"
#include "portico/sdk/resource.hpp"

namespace portico::plugins::console {

namespace {

// As `portico backup --out DIR/` names its files: 20260101T000000123Z, from the RFC 3339 form.
std::string backupStamp(std::chrono::system_clock::time_point t) {
    std::string stamp;
    for (char c : sdk::rfc3339(t)) {
        if (c != '-' && c != ':' && c != 'Z') stamp += c;
    }
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() % 1000;
    char digits[8];
    std::snprintf(digits, sizeof digits, "%03d", static_cast<int>(ms));
    return stamp + digits + "Z";
}

// "http://127.0.0.1:9100" -> "127.0.0.1:9100"
std::string originAuthority(const std::string& origin) {
    const auto scheme = origin.find("://");
    return scheme == std::string::npos ? origin : origin.substr(scheme + 3);
}

}  // namespace

bool ConsolePlugin::allowed(const sdk::Request& req, sdk::Response& res, std::string& session,
                            bool signing_in) const {
    // The sign-in form carries the token of no session; a stale cookie must not refuse it.
    session = guard_->required() && !signing_in ? cookie(req, kCookie) : "";
    const View v = viewOf(req, session);
    const auto origin = req.headers.get("Origin");
    const bool same_origin = !origin || originAuthority(*origin) == req.headers.getOr("Host", "");
    if (same_origin && (signing_in || guard_->valid(session)) &&
        guard_->csrfValid(session, field(req.body, "csrf"))) {
        return true;
    }
    sendPage(res, 403, v, noticePage(v, v.t("refused.title"), v.t("refused.csrf")));
    return false;
}

void ConsolePlugin::loginForm(const sdk::Request& req, sdk::Response& res) {
    if (!guard_->required()) return sendRedirect(res, "/");
    sendPage(res, 200, viewOf(req, ""), loginPage(viewOf(req, ""), ""));
}

void ConsolePlugin::login(const sdk::Request& req, sdk::Response& res) {
    const View v = viewOf(req, "");
    if (!guard_->required()) return sendRedirect(res, "/?lang=" + v.lang);
    std::string session;
    if (!allowed(req, res, session, true)) return;
    switch (guard_->login(req.client_address, field(req.body, "password"), session)) {
        case Guard::Login::kOk:
            sendRedirect(res, "/?lang=" + v.lang);
            res.headers.add("Set-Cookie", std::string(kCookie) + "=" + session +
                                              "; Path=/; Max-Age=" +
                                              std::to_string(guard_->sessionLength().count() * 60) +
                                              "; HttpOnly; Secure; SameSite=Strict");
            ctx_->logger()->info("console: sign-in from {}", req.client_address);
            return;
        case Guard::Login::kLimited:
            ctx_->logger()->warn("console: sign-in refused, too many failures from {}",
                                 req.client_address);
            return sendPage(res, 429, v, loginPage(v, v.t("login.limited")));
        case Guard::Login::kWrong:
            ctx_->logger()->warn("console: wrong password from {}", req.client_address);
            return sendPage(res, 401, v, loginPage(v, v.t("login.wrong")));
    }
}

void ConsolePlugin::logout(const sdk::Request& req, sdk::Response& res) {
    std::string session;
    if (!allowed(req, res, session)) return;
    guard_->logout(session);
    sendRedirect(res, "/console/login?lang=" + viewOf(req, "").lang);
    res.headers.add("Set-Cookie", std::string(kCookie) +
                                      "=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict");
}

void ConsolePlugin::message(const sdk::Request& req, sdk::Response& res) {
    showMessage(req, res, &messagePage);
}

void ConsolePlugin::confirmDelete(const sdk::Request& req, sdk::Response& res) {
    showMessage(req, res, &confirmDeletePage);
}

void ConsolePlugin::showMessage(const sdk::Request& req, sdk::Response& res,
                                std::string (*render)(const View&, const Message&)) {
    std::string session;
    if (!signedIn(req, res, session)) return;
    const View v = viewOf(req, session);
    const auto m = Inbox(ctx_->data()).find(req.queryParam("id").value_or(""));
    if (!m) return sendPage(res, 404, v, noticePage(v, v.t("inbox.title"), v.t("inbox.missing")));
    sendPage(res, 200, v, render(v, *m));
}

void ConsolePlugin::answer(const sdk::Request& req, sdk::Response& res) {
    std::string session;
    if (!allowed(req, res, session)) return;
    const View v = viewOf(req, session);
    const std::string id = field(req.body, "id");
    if (!Inbox(ctx_->data()).markAnswered(id, sdk::rfc3339(ctx_->clock().now()))) {
        return sendPage(res, 404, v, noticePage(v, v.t("inbox.title"), v.t("inbox.missing")));
    }
    sendRedirect(res, "/console/message?id=" + queryValue(id) + "&lang=" + v.lang);
}

void ConsolePlugin::remove(const sdk::Request& req, sdk::Response& res) {
    std::string session;
    if (!allowed(req, res, session)) return;
    const View v = viewOf(req, session);
    const std::string id = field(req.body, "id");
    // The confirmation step: only the form of the confirmation page says "yes".
    if (field(req.body, "confirm") != "yes") {
        return sendRedirect(res,
                            "/console/message/delete?id=" + queryValue(id) + "&lang=" + v.lang);
    }
    if (!Inbox(ctx_->data()).remove(id)) {
        return sendPage(res, 404, v, noticePage(v, v.t("inbox.title"), v.t("inbox.missing")));
    }
    ctx_->logger()->info("console: message {} deleted", sdk::escapeControls(id));
    sendRedirect(res, "/?lang=" + v.lang + "#inbox");
}

void ConsolePlugin::exportCsv(const sdk::Request& req, sdk::Response& res) {
    std::string session;
    if (!signedIn(req, res, session)) return;
    res.send(200, "text/csv; charset=utf-8", Inbox(ctx_->data()).csv());
    res.headers.set("Content-Disposition", "attachment; filename=\"messages.csv\"");
    res.headers.set("Cache-Control", "no-store");
    res.headers.set("X-Content-Type-Options", "nosniff");
}

void ConsolePlugin::backup(const sdk::Request& req, sdk::Response& res) {
    std::string session;
    if (!allowed(req, res, session)) return;
    const View v = viewOf(req, session);
    try {
        const std::string name = takeBackup(ctx_->data(), config_.backup_dir,
                                            backupStamp(ctx_->clock().now()), config_.keep_backups);
        ctx_->logger()->info("console: backup written: {}", name);
        sendPage(res, 200, v,
                 noticePage(v, v.t("backups.title"), v.f("backups.taken", {{"name", name}})));
    } catch (const std::exception& e) {
        const auto* poco = dynamic_cast<const Poco::Exception*>(&e);
        const std::string why = poco ? poco->displayText() : e.what();
        ctx_->logger()->error("console: backup failed: {}", why);
        sendPage(res, 500, v,
                 noticePage(v, v.t("backups.title"), v.f("backups.failed", {{"why", why}})));
    }
}

int ConsolePlugin::runCommand(sdk::CommandContext& cmd) {
    const auto& words = cmd.words();
    if (words.size() != 1 || words[0] != "hash-password") {
        cmd.err() << "console: expected 'hash-password'\n";
        return 2;
    }
    std::uint32_t iterations = kDefaultIterations;
    if (cmd.has("iterations")) {
        try {
            iterations = static_cast<std::uint32_t>(std::stoul(cmd.option("iterations")));
        } catch (const std::exception&) {
            iterations = 0;
        }
        if (iterations < kMinIterations) {
            cmd.err() << "console: --iterations: at least " << kMinIterations << "\n";
            return 2;
        }
    }
    // One line from stdin, so the password never appears in a process list or shell history.
    std::string password;
    std::getline(std::cin, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
    if (password.empty()) {
        cmd.err() << "console: no password on standard input\n";
        return 1;
    }
    cmd.out() << makePasswordHash(password, iterations) << "\n";
    return 0;
}

}  // namespace portico::plugins::console
