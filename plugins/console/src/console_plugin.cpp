#include "console_plugin.hpp"

#include <cstdio>
#include <functional>

#include "catalog.hpp"
#include "host_figures.hpp"
#include "portico/sdk/csp.hpp"
#include "portico/sdk/data.hpp"
#include "portico/sdk/resource.hpp"
#include "traffic.hpp"

namespace portico::plugins::console {

namespace {

constexpr std::size_t kSamples = 61;  // 60 intervals for the rate chart

std::string micros(const HookTime& h) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f µs", h.calls ? h.seconds * 1e6 / h.calls : 0.0);
    return buf;
}

}  // namespace

std::string field(const std::string& urlencoded, const std::string& name) {
    sdk::Request fields;  // a urlencoded form body has the syntax of a query string
    fields.query = urlencoded;
    return fields.queryParam(name).value_or("");
}

std::string cookie(const sdk::Request& req, const std::string& name) {
    const std::string header = req.headers.getOr("Cookie", "");
    std::size_t pos = 0;
    while (pos < header.size()) {
        auto end = header.find(';', pos);
        if (end == std::string::npos) end = header.size();
        std::string pair = header.substr(pos, end - pos);
        const auto start = pair.find_first_not_of(' ');
        pair = start == std::string::npos ? "" : pair.substr(start);
        if (pair.size() > name.size() && pair.compare(0, name.size(), name) == 0 &&
            pair[name.size()] == '=') {
            return pair.substr(name.size() + 1);
        }
        pos = end + 1;
    }
    return "";
}

void ConsolePlugin::route(const std::string& method, const std::string& path,
                          sdk::Handler handler) {
    sdk::RouteSpec spec;
    spec.method = method;
    spec.path = path;
    spec.listener = "admin";
    if (method == "POST") spec.max_body_bytes = 4096;
    ctx_->hooks().addRoute(spec, std::move(handler));
}

void ConsolePlugin::configure(sdk::Context& ctx) {
    ctx_ = &ctx;
    config_ = readConfig(ctx.config(), ctx.site().admin_address, ctx.site().data_dir);
    texts_ = catalog(ctx.site().default_locale);
    guard_ = std::make_unique<Guard>(config_, ctx.clock());
    // As strict as the public site's: no script at all, styles only from the stylesheet.
    csp_ = sdk::Csp::parse(
               "default-src 'none'; style-src 'self'; img-src 'self'; "
               "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
               .str();
    using std::placeholders::_1;
    using std::placeholders::_2;
    route("GET", "/", std::bind(&ConsolePlugin::dashboard, this, _1, _2));
    route("GET", "/console/login", std::bind(&ConsolePlugin::loginForm, this, _1, _2));
    route("POST", "/console/login", std::bind(&ConsolePlugin::login, this, _1, _2));
    route("POST", "/console/logout", std::bind(&ConsolePlugin::logout, this, _1, _2));
    route("GET", "/console/message", std::bind(&ConsolePlugin::message, this, _1, _2));
    route("POST", "/console/message/answer", std::bind(&ConsolePlugin::answer, this, _1, _2));
    route("GET", "/console/message/delete", std::bind(&ConsolePlugin::confirmDelete, this, _1, _2));
    route("POST", "/console/message/delete", std::bind(&ConsolePlugin::remove, this, _1, _2));
    route("GET", "/console/messages.csv", std::bind(&ConsolePlugin::exportCsv, this, _1, _2));
    route("POST", "/console/backup", std::bind(&ConsolePlugin::backup, this, _1, _2));
    sdk::RouteSpec css;
    css.path = "/console/style.css";
    css.listener = "admin";
    css.blocking = false;
    ctx.hooks().addRoute(css, [this](const sdk::Request&, sdk::Response& res) {
        res.send(200, "text/css; charset=utf-8", kStylesheet);
        res.headers.set("Cache-Control", "no-cache");
        res.headers.set("X-Content-Type-Options", "nosniff");
    });
}

void ConsolePlugin::start(sdk::Context& ctx) {
    ctx.scheduler().every("console: request rate", config_.sample_every, [this] { sample(); });
    sample();
    if (!guard_->required()) {
        ctx.logger()->info("console on the admin listener without a login (loopback only)");
    }
}

void ConsolePlugin::stop() noexcept {}

void ConsolePlugin::sample() {
    const auto figures = readHostFigures(ctx_->metrics().renderPrometheus());
    std::lock_guard<std::mutex> lock(samples_mutex_);
    samples_.emplace_back(ctx_->clock().monotonic(), figures.requests);
    while (samples_.size() > kSamples) samples_.pop_front();
}

std::vector<double> ConsolePlugin::ratePerMinute() const {
    std::lock_guard<std::mutex> lock(samples_mutex_);
    std::vector<double> out;
    for (std::size_t i = 1; i < samples_.size(); ++i) {
        const double minutes =
            std::chrono::duration<double>(samples_[i].first - samples_[i - 1].first).count() / 60;
        const double n = static_cast<double>(samples_[i].second - samples_[i - 1].second);
        out.push_back(minutes > 0 ? n / minutes : 0);
    }
    return out;
}

bool ConsolePlugin::pluginStarted(const std::string& id) const {
    for (const auto& p : ctx_->status().plugins()) {
        if (p.id == id) return p.state == "started";
    }
    return false;
}

std::vector<PluginRow> ConsolePlugin::pluginRows(const HostFigures& figures) const {
    const auto checks = ctx_->status().runHealthChecks();
    std::vector<PluginRow> rows;
    for (const auto& p : ctx_->status().plugins()) {
        PluginRow row{p.id, p.version, p.state + (p.detail.empty() ? "" : ": " + p.detail), "", ""};
        for (const auto& [name, result] : checks) {
            if (name != p.id && name.rfind(p.id + ":", 0) != 0) continue;
            row.health += (row.health.empty() ? "" : "; ") + name + " " + result.status +
                          (result.output.empty() ? "" : " (" + result.output + ")");
        }
        if (auto it = figures.hooks.find(p.id); it != figures.hooks.end()) {
            for (const auto& [kind, time] : it->second) {
                row.hooks += (row.hooks.empty() ? "" : ", ") + kind + " " + micros(time);
            }
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

void ConsolePlugin::dashboard(const sdk::Request& req, sdk::Response& res) {
    std::string session;
    if (!signedIn(req, res, session)) return;
    const View v = viewOf(req, session);
    Dashboard d;
    d.host = readHostFigures(ctx_->metrics().renderPrometheus());
    d.host_on = pluginStarted("metrics");
    d.rate = ratePerMinute();
    d.plugins = pluginRows(d.host);
    d.traffic_on = pluginStarted("insights");
    d.inbox_on = pluginStarted("contact");
    try {
        if (d.traffic_on) {
            d.traffic =
                readTraffic(ctx_->data(), sdk::rfc3339(ctx_->clock().now()).substr(0, 10), v.days);
        }
    } catch (const std::exception& e) {
        ctx_->logger()->warn("console: cannot read the insights figures: {}", e.what());
    }
    try {
        if (d.inbox_on) d.messages = Inbox(ctx_->data()).list(0);
    } catch (const std::exception& e) {
        ctx_->logger()->warn("console: cannot read the inbox: {}", e.what());
    }
    d.backups = listBackups(config_.backup_dir);
    sendPage(res, 200, v, dashboardPage(v, d));
}

View ConsolePlugin::viewOf(const sdk::Request& req, const std::string& session) const {
    View v;
    v.texts = &texts_;
    v.locales = ctx_->site().locales;
    std::string lang = req.queryParam("lang").value_or("");
    if (lang.empty() && req.method == "POST") lang = field(req.body, "lang");
    bool known = false;
    for (const auto& l : v.locales) known = known || l == lang;
    if (!known) {
        lang = sdk::pickLanguage("/", req.headers.getOr("Accept-Language", ""), v.locales,
                                 ctx_->site().default_locale);
    }
    v.lang = texts_.resolve(lang);
    const std::string days = req.queryParam("days").value_or("30");
    v.days = days == "7" ? 7 : days == "365" ? 365 : 30;
    v.csrf = guard_->csrfToken(session);
    v.signed_in = guard_->required() && !session.empty();
    return v;
}

void ConsolePlugin::sendPage(sdk::Response& res, int status, const View& v,
                             std::string html) const {
    res.send(status, "text/html; charset=utf-8", std::move(html));
    res.headers.set("Content-Language", v.lang);
    res.headers.set("Content-Security-Policy", csp_);
    res.headers.set("Cache-Control", "no-store");
    res.headers.set("X-Content-Type-Options", "nosniff");
    res.headers.set("X-Frame-Options", "DENY");
    // same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on the
    // console's own form posts, which the origin check would refuse.
    res.headers.set("Referrer-Policy", "same-origin");
    res.headers.set("Cross-Origin-Opener-Policy", "same-origin");
    res.headers.set("Cross-Origin-Resource-Policy", "same-origin");
    res.headers.set("Permissions-Policy",
                    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), microphone=(), "
                    "payment=(), usb=()");
    res.headers.set("Vary", "Accept-Language, Cookie");
}

void ConsolePlugin::sendRedirect(sdk::Response& res, const std::string& location) const {
    res.send(303, "text/plain; charset=utf-8", "See " + location + "\n");
    res.headers.set("Location", location);
    res.headers.set("Cache-Control", "no-store");
}

bool ConsolePlugin::signedIn(const sdk::Request& req, sdk::Response& res,
                             std::string& session) const {
    session = guard_->required() ? cookie(req, kCookie) : "";
    if (guard_->valid(session)) return true;
    sendRedirect(res, "/console/login?lang=" + viewOf(req, "").lang);
    return false;
}

}  // namespace portico::plugins::console
