#include "render.hpp"

#include <cctype>

#include "portico/sdk/http.hpp"

namespace portico::plugins::console {

std::string shown(const std::string& text) { return sdk::escapeHtml(sdk::escapeControls(text)); }

std::string queryValue(const std::string& text) {
    static const char* const kHex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

std::string link(const View& v, const std::string& path, const std::string& query) {
    std::string url = path + "?" + (query.empty() ? "" : query + "&") + "lang=" + v.lang;
    return sdk::escapeHtml(url);
}

std::string formFields(const View& v) {
    return "<input type=\"hidden\" name=\"csrf\" value=\"" + sdk::escapeHtml(v.csrf) +
           "\"><input type=\"hidden\" name=\"lang\" value=\"" + sdk::escapeHtml(v.lang) + "\">";
}

namespace {

std::string languageSwitch(const View& v) {
    std::string out =
        "<nav class=\"langs\" aria-label=\"" + sdk::escapeHtml(v.t("language")) + "\"><ul>";
    for (const auto& l : v.locales) {
        const std::string url = sdk::escapeHtml("/?lang=" + l + "&days=" + std::to_string(v.days));
        out += "<li><a href=\"" + url + "\" hreflang=\"" + sdk::escapeHtml(l) + "\" lang=\"" +
               sdk::escapeHtml(l) + "\"" + (l == v.lang ? " aria-current=\"page\"" : "") + ">" +
               sdk::escapeHtml(l == "de"   ? "Deutsch"
                               : l == "en" ? "English"
                                           : l) +
               "</a></li>";
    }
    return out + "</ul></nav>";
}

std::string backLink(const View& v) {
    return "<p><a href=\"" + link(v, "/", "days=" + std::to_string(v.days)) + "\">" +
           sdk::escapeHtml(v.t("inbox.back")) + "</a></p>";
}

}  // namespace

std::string page(const View& v, const std::string& title, const std::string& body) {
    std::string out = "<!DOCTYPE html>\n<html lang=\"" + sdk::escapeHtml(v.lang) +
                      "\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                      "<meta name=\"robots\" content=\"noindex\">\n<title>" +
                      sdk::escapeHtml(title) +
                      " · Portico</title>\n"
                      "<link rel=\"stylesheet\" href=\"/console/style.css\">\n</head>\n<body>\n"
                      "<a class=\"skip\" href=\"#main\">" +
                      sdk::escapeHtml(v.t("skip")) +
                      "</a>\n<header>\n<p class=\"brand\">Portico · " +
                      sdk::escapeHtml(v.t("title")) + "</p>\n" + languageSwitch(v);
    if (v.signed_in) {
        out += "<form method=\"post\" action=\"/console/logout\">" + formFields(v) +
               "<button type=\"submit\">" + sdk::escapeHtml(v.t("login.logout")) +
               "</button></form>";
    }
    out += "\n</header>\n<main id=\"main\">\n<h1>" + sdk::escapeHtml(title) + "</h1>\n" + body +
           "\n</main>\n</body>\n</html>\n";
    return out;
}

std::string loginPage(const View& v, const std::string& error) {
    std::string body;
    if (!error.empty())
        body += "<p class=\"error\" role=\"alert\">" + sdk::escapeHtml(error) + "</p>";
    body += "<form method=\"post\" action=\"/console/login\" class=\"login\">" + formFields(v) +
            "<label for=\"password\">" + sdk::escapeHtml(v.t("login.password")) +
            "</label><input id=\"password\" name=\"password\" type=\"password\" "
            "autocomplete=\"current-password\" required>"
            "<button type=\"submit\">" +
            sdk::escapeHtml(v.t("login.submit")) + "</button></form>";
    return page(v, v.t("login.title"), body);
}

std::string messagePage(const View& v, const Message& m) {
    std::string body = "<dl class=\"message\">";
    auto row = [&](const std::string& key, const std::string& value) {
        body += "<dt>" + sdk::escapeHtml(v.t(key)) + "</dt><dd>" + shown(value) + "</dd>";
    };
    row("inbox.date", m.created_at);
    row("inbox.from", m.name);
    row("inbox.email", m.email);
    if (!m.company.empty()) row("inbox.company", m.company);
    row("inbox.locale", m.locale);
    row("inbox.status",
        m.answered_at.empty() ? v.t("inbox.open") : v.t("inbox.answered") + " " + m.answered_at);
    body += "</dl><div class=\"text\">";
    // Line by line, so the message keeps its line breaks and every other control shows.
    std::size_t start = 0;
    while (start <= m.message.size()) {
        const auto nl = m.message.find('\n', start);
        std::string line = m.message.substr(start, nl == std::string::npos ? nl : nl - start);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        body += "<p>" + shown(line) + "</p>";
        if (nl == std::string::npos) break;
        start = nl + 1;
    }
    body += "</div><div class=\"actions\">";
    if (m.answered_at.empty()) {
        body += "<form method=\"post\" action=\"/console/message/answer\">" + formFields(v) +
                "<input type=\"hidden\" name=\"id\" value=\"" + sdk::escapeHtml(m.id) +
                "\"><button type=\"submit\">" + sdk::escapeHtml(v.t("inbox.mark")) +
                "</button></form>";
    }
    body += "<a class=\"button danger\" href=\"" +
            link(v, "/console/message/delete", "id=" + queryValue(m.id)) + "\">" +
            sdk::escapeHtml(v.t("inbox.delete")) + "</a></div>" + backLink(v);
    return page(v, v.t("inbox.title") + ": " + sdk::escapeControls(m.name), body);
}

std::string confirmDeletePage(const View& v, const Message& m) {
    std::string body = "<p>" + sdk::escapeHtml(v.t("inbox.confirm")) + "</p><p class=\"quote\">" +
                       shown(m.created_at) + " · " + shown(m.name) + " · " +
                       shown(m.message.substr(0, 120)) + "</p>";
    body += "<div class=\"actions\"><form method=\"post\" action=\"/console/message/delete\">" +
            formFields(v) + "<input type=\"hidden\" name=\"id\" value=\"" + sdk::escapeHtml(m.id) +
            "\"><input type=\"hidden\" name=\"confirm\" value=\"yes\">"
            "<button type=\"submit\" class=\"danger\">" +
            sdk::escapeHtml(v.t("inbox.confirm_button")) +
            "</button></form><a class=\"button\" href=\"" +
            link(v, "/console/message", "id=" + queryValue(m.id)) + "\">" +
            sdk::escapeHtml(v.t("inbox.cancel")) + "</a></div>";
    return page(v, v.t("inbox.delete"), body);
}

std::string noticePage(const View& v, const std::string& title, const std::string& text) {
    return page(v, title, "<p>" + sdk::escapeHtml(text) + "</p>" + backLink(v));
}

}  // namespace portico::plugins::console
