// The dashboard: one section per source, each saying so when its plugin is off.
#include <cstdio>

#include "portico/sdk/http.hpp"
#include "render.hpp"
#include "svg.hpp"

namespace portico::plugins::console {

namespace {

std::string e(const std::string& text) { return sdk::escapeHtml(text); }

std::string periodNav(const View& v) {
    std::string out = "<nav class=\"period\" aria-label=\"" + e(v.t("period")) + "\"><ul>";
    for (int days : {7, 30, 365}) {
        out += "<li><a href=\"" + link(v, "/", "days=" + std::to_string(days)) + "\"" +
               (days == v.days ? " aria-current=\"page\"" : "") + ">" +
               e(v.f("days", {{"n", std::to_string(days)}})) + "</a></li>";
    }
    return out + "</ul></nav>";
}

std::string ranked(const View& v, const std::string& key, const Ranked& rows) {
    std::string out = "<div class=\"top\"><h3>" + e(v.t("top." + key)) + "</h3>";
    if (rows.empty()) return out + "<p>" + e(v.t("top.none")) + "</p></div>";
    out += "<table><thead><tr><th scope=\"col\">" + e(v.t("top.value")) +
           "</th><th scope=\"col\" class=\"n\">" + e(v.t("top.views")) +
           "</th><th scope=\"col\"><span class=\"sr\">%</span></th></tr></thead><tbody>";
    for (const auto& [value, n] : rows) {
        // An empty value is a visit without one (no referrer, no campaign).
        out += "<tr><td>" + (value.empty() ? e(v.t("top.empty")) : shown(value)) +
               "</td><td class=\"n\">" + std::to_string(n) + "</td><td>" +
               svg::bar(n, rows.front().second) + "</td></tr>";
    }
    return out + "</tbody></table></div>";
}

std::string trafficSection(const View& v, const Dashboard& d) {
    std::string out =
        "<section id=\"traffic\"><h2 id=\"traffic-h\">" + e(v.t("traffic.title")) + "</h2>";
    if (!d.traffic_on) return out + "<p>" + e(v.t("traffic.off")) + "</p></section>";
    if (!d.traffic) return out + "<p>" + e(v.t("store_down")) + "</p></section>";
    const Traffic& t = *d.traffic;
    std::int64_t visitors = 0, views = 0;
    for (const auto& day : t.days) {
        visitors += day.visitors;
        views += day.views;
    }
    out += periodNav(v) + "<p class=\"totals\"><span class=\"key views\"></span>" +
           e(v.t("traffic.views")) + ": <strong>" + std::to_string(views) +
           "</strong> <span class=\"key visitors\"></span>" + e(v.t("traffic.visitors")) +
           ": <strong>" + std::to_string(visitors) + "</strong></p>";
    out += svg::dailyChart(
        t.days, v.f("traffic.chart", {{"from", t.days.front().day}, {"to", t.days.back().day}}));
    out += "<div class=\"grid\">" + ranked(v, "pages", t.pages) +
           ranked(v, "referrers", t.referrers) + ranked(v, "campaigns", t.campaigns) +
           ranked(v, "locales", t.locales) + ranked(v, "devices", t.devices) +
           ranked(v, "not_found", t.not_found) + "</div>";
    return out + "</section>";
}

std::string millis(double seconds) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f ms", seconds * 1000);
    return buf;
}

std::string hostSection(const View& v, const Dashboard& d) {
    std::string out =
        "<section id=\"requests\"><h2 id=\"requests-h\">" + e(v.t("host.title")) + "</h2>";
    if (!d.host_on) return out + "<p>" + e(v.t("host.off")) + "</p></section>";
    const HostFigures& h = d.host;
    std::string mix;
    for (const auto& [cls, n] : h.by_status) {
        mix += (mix.empty() ? "" : ", ") + cls + " " + std::to_string(n);
    }
    out += "<p>" + e(v.t("host.total")) + ": <strong>" + std::to_string(h.requests) +
           "</strong></p><div class=\"grid\"><div><h3>" +
           e(v.f("host.rate", {{"n", std::to_string(d.rate.size())}})) + "</h3>" +
           svg::rateChart(d.rate, v.f("host.rate", {{"n", std::to_string(d.rate.size())}})) +
           "</div><div><h3>" + e(v.t("inbox.status")) + "</h3>" +
           svg::statusChart(h.by_status, v.f("host.status", {{"mix", mix}})) + "<p>" +
           e(v.f("host.status", {{"mix", mix}})) + "</p></div><div><h3>" + e(v.t("host.latency")) +
           "</h3><dl class=\"latency\"><dt>" + e(v.t("host.p50")) + "</dt><dd>" + millis(h.p50) +
           "</dd><dt>" + e(v.t("host.p90")) + "</dt><dd>" + millis(h.p90) + "</dd><dt>" +
           e(v.t("host.p99")) + "</dt><dd>" + millis(h.p99) + "</dd></dl></div></div>";
    return out + "</section>";
}

std::string pluginsSection(const View& v, const Dashboard& d) {
    std::string out = "<section id=\"plugins\"><h2 id=\"plugins-h\">" + e(v.t("plugins.title")) +
                      "</h2><div class=\"scroll\" tabindex=\"0\" role=\"region\" "
                      "aria-labelledby=\"plugins-h\"><table><thead><tr>";
    for (const char* key : {"id", "version", "state", "health", "hooks"}) {
        out += "<th scope=\"col\">" + e(v.t(std::string("plugins.") + key)) + "</th>";
    }
    out += "</tr></thead><tbody>";
    for (const auto& p : d.plugins) {
        out += "<tr><th scope=\"row\">" + e(p.id) + "</th><td>" + e(p.version) + "</td><td>" +
               e(p.state) + "</td><td>" + shown(p.health.empty() ? v.t("plugins.none") : p.health) +
               "</td><td>" + e(p.hooks) + "</td></tr>";
    }
    return out + "</tbody></table></div></section>";
}

std::string inboxSection(const View& v, const Dashboard& d) {
    std::string out = "<section id=\"inbox\"><h2 id=\"inbox-h\">" + e(v.t("inbox.title")) + "</h2>";
    if (!d.inbox_on) return out + "<p>" + e(v.t("inbox.off")) + "</p></section>";
    if (!d.messages) return out + "<p>" + e(v.t("store_down")) + "</p></section>";
    out += "<p>" + e(v.f("inbox.count", {{"n", std::to_string(d.messages->size())}})) +
           " · <a href=\"/console/messages.csv\" download>" + e(v.t("inbox.export")) + "</a></p>";
    if (d.messages->empty()) return out + "<p>" + e(v.t("inbox.empty")) + "</p></section>";
    out +=
        "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-labelledby=\"inbox-h\"><table "
        "class=\"inbox\"><thead><tr>";
    for (const char* key : {"date", "from", "excerpt", "status"}) {
        out += "<th scope=\"col\">" + e(v.t(std::string("inbox.") + key)) + "</th>";
    }
    out += "</tr></thead><tbody>";
    for (const auto& m : *d.messages) {
        const std::string excerpt =
            m.message.size() > 80 ? m.message.substr(0, 80) + "…" : m.message;
        out += "<tr><td>" + shown(m.created_at.substr(0, 16)) + "</td><td>" + shown(m.name) +
               "</td><td><a href=\"" + link(v, "/console/message", "id=" + queryValue(m.id)) +
               "\">" + shown(excerpt) + "</a></td><td>" +
               e(v.t(m.answered_at.empty() ? "inbox.open" : "inbox.answered")) + "</td></tr>";
    }
    return out + "</tbody></table></div></section>";
}

std::string backupsSection(const View& v, const Dashboard& d) {
    std::string out = "<section id=\"backups\"><h2 id=\"backups-h\">" + e(v.t("backups.title")) +
                      "</h2><form method=\"post\" action=\"/console/backup\">" + formFields(v) +
                      "<button type=\"submit\">" + e(v.t("backups.take")) + "</button></form>";
    if (d.backups.empty()) return out + "<p>" + e(v.t("backups.empty")) + "</p></section>";
    out += "<table><thead><tr><th scope=\"col\">" + e(v.t("backups.name")) +
           "</th><th scope=\"col\" class=\"n\">" + e(v.t("backups.size")) +
           "</th></tr></thead><tbody>";
    for (const auto& b : d.backups) {
        out += "<tr><td>" + e(b.name) + "</td><td class=\"n\">" +
               std::to_string((b.bytes + 1023) / 1024) + " KiB</td></tr>";
    }
    return out + "</tbody></table></section>";
}

}  // namespace

std::string dashboardPage(const View& v, const Dashboard& d) {
    return page(v, v.t("title"),
                trafficSection(v, d) + hostSection(v, d) + pluginsSection(v, d) +
                    inboxSection(v, d) + backupsSection(v, d));
}

const char* const kStylesheet =
    R"css(:root{--fg:#1d2430;--muted:#4a5566;--bg:#fff;--line:#d5dae1;--accent:#1f5fae;--accent2:#0f7a5a;--danger:#a8261b}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;padding:.75rem 1.25rem;border-bottom:1px solid var(--line)}
.brand{margin:0;font-weight:700}
main{max-width:72rem;margin:0 auto;padding:1rem 1.25rem 3rem}
h1{font-size:1.6rem;margin:.5rem 0 1rem}
h2{font-size:1.3rem;margin:2rem 0 .75rem;padding-top:1rem;border-top:1px solid var(--line)}
h3{font-size:1rem;margin:1rem 0 .5rem}
a{color:var(--accent)}
nav ul{list-style:none;display:flex;gap:1rem;margin:0;padding:0}
nav a{display:inline-block;padding:.5rem .25rem;min-height:44px}
[aria-current=page]{font-weight:700;color:var(--fg)}
.skip{position:absolute;left:-999px}
.skip:focus{left:1rem;top:1rem;background:var(--bg);padding:.5rem}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:0 2rem}
.scroll{overflow-x:auto}
.scroll table{min-width:40rem}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);vertical-align:top;overflow-wrap:break-word}
.n{text-align:right;font-variant-numeric:tabular-nums}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
svg.chart{width:100%;height:auto;display:block;margin:.5rem 0}
svg.chart text{font-size:12px;fill:var(--muted)}
svg.bar{width:6rem;height:.5rem}
svg.bar rect,rect.views{fill:#9db8dc}
rect.visitors{fill:var(--accent)}
.axis{stroke:var(--line)}
.rate{fill:none;stroke:var(--accent);stroke-width:2}
.s2{fill:var(--accent2)}.s3{fill:#6b7a90}.s4{fill:#c47f00}.s5{fill:var(--danger)}
.key{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 .8rem;vertical-align:middle}
.key.views{background:#9db8dc}.key.visitors{background:var(--accent)}
dl.latency,dl.message{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
dt{color:var(--muted)}dd{margin:0}
.text{border-left:3px solid var(--line);padding-left:1rem;white-space:pre-wrap;overflow-wrap:anywhere}
.text p{margin:0 0 .25rem}
.actions{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;margin:1rem 0}
button,.button{font:inherit;min-height:44px;padding:.5rem 1rem;border-radius:.3rem;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
.button{background:var(--bg);color:var(--accent)}
.danger{background:var(--danger);border-color:var(--danger);color:#fff}
.error{color:var(--danger);font-weight:600}
form.login{display:flex;flex-direction:column;gap:.5rem;max-width:20rem}
input{font:inherit;padding:.5rem;min-height:44px;border:1px solid var(--muted);border-radius:.3rem}
)css";

}  // namespace portico::plugins::console
