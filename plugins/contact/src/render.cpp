#include "render.hpp"

#include "portico/sdk/http.hpp"
#include "strings.hpp"

namespace portico::plugins::contact {

namespace {

std::string field(const FormView& v, const char* name, const std::string& value, bool area) {
    const auto it = v.errors.find(name);
    const bool bad = it != v.errors.end();
    const std::string id = std::string("contact-") + name;
    std::string html =
        "<p class=\"field\"><label for=\"" + id + "\">" + text(v.locale, name) + "</label>\n";
    const std::string attrs =
        " id=\"" + id + "\" name=\"" + name + "\"" +
        (bad ? " aria-invalid=\"true\" aria-describedby=\"" + id + "-error\"" : std::string());
    if (area) {
        html += "<textarea" + attrs + " rows=\"8\" maxlength=\"5000\">" + sdk::escapeHtml(value) +
                "</textarea>\n";
    } else {
        const bool email = std::strcmp(name, "email") == 0;
        html += std::string("<input type=\"") + (email ? "email" : "text") + "\"" + attrs +
                " maxlength=\"" + (email ? "254" : "200") + "\" value=\"" + sdk::escapeHtml(value) +
                "\">\n";
    }
    if (bad) {
        html += "<span class=\"error\" id=\"" + id + "-error\">" + text(v.locale, it->second) +
                "</span>\n";
    }
    return html + "</p>\n";
}

std::string page(const std::string& locale, const std::string& title, const std::string& body) {
    return "<!DOCTYPE html>\n<html lang=\"" + sdk::escapeHtml(locale) +
           "\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           "<meta name=\"robots\" content=\"noindex\">\n<title>" +
           title +
           "</title>\n<style>.hp{position:absolute;left:-10000px}.error{color:#b00020}"
           "</style>\n</head>\n<body>\n<main>\n" +
           body + "</main>\n</body>\n</html>\n";
}

}  // namespace

std::string renderForm(const FormView& v) {
    const std::string& l = v.locale;
    std::string body = std::string("<h1>") + text(l, "title") + "</h1>\n";
    if (!v.notice.empty()) {
        body += "<p class=\"notice\" role=\"alert\">" + std::string(text(l, v.notice)) + "</p>\n";
    }
    if (auto it = v.errors.find("form"); it != v.errors.end()) {
        body += "<p class=\"error\" role=\"alert\">" + std::string(text(l, it->second)) + "</p>\n";
    } else if (!v.errors.empty()) {
        body +=
            "<p class=\"error\" role=\"alert\">" + std::string(text(l, "errors_intro")) + "</p>\n";
    }
    body += "<p>" + std::string(text(l, "intro")) + "</p>\n";
    body += "<form method=\"post\" action=\"" + sdk::escapeHtml(v.action) +
            "\" accept-charset=\"utf-8\" novalidate>\n";
    body += field(v, "name", v.input.name, false);
    body += field(v, "email", v.input.email, false);
    body += field(v, "company", v.input.company, false);
    body += field(v, "message", v.input.message, true);
    const bool bad_consent = v.errors.count("consent") > 0;
    body +=
        std::string(
            "<p class=\"field\"><input type=\"checkbox\" id=\"contact-consent\" "
            "name=\"consent\" value=\"yes\"") +
        (v.input.consent ? " checked" : "") +
        (bad_consent ? " aria-invalid=\"true\" aria-describedby=\"contact-consent-error\"" : "") +
        "> <label for=\"contact-consent\">" + text(l, "consent") + "</label>\n";
    if (bad_consent) {
        body += std::string("<span class=\"error\" id=\"contact-consent-error\">") +
                text(l, "consent_required") + "</span>\n";
    }
    body += "</p>\n<p class=\"hp\" aria-hidden=\"true\"><label for=\"contact-website\">" +
            std::string(text(l, "website")) +
            "</label> <input type=\"text\" id=\"contact-website\" name=\"website\" value=\"\" "
            "tabindex=\"-1\" autocomplete=\"off\"></p>\n";
    body += "<input type=\"hidden\" name=\"token\" value=\"" + sdk::escapeHtml(v.token) + "\">\n";
    body += "<p><button type=\"submit\">" + std::string(text(l, "send")) + "</button></p>\n";
    body += "</form>\n";
    return page(l, text(l, "title"), body);
}

nlohmann::json formData(const FormView& v) {
    const std::string& l = v.locale;
    nlohmann::json out = {{"action", v.action},
                          {"token", v.token},
                          {"notice", v.notice.empty() ? "" : text(l, v.notice)},
                          {"errors_intro", text(l, "errors_intro")}};
    auto errors = nlohmann::json::array();
    if (auto it = v.errors.find("form"); it != v.errors.end()) {
        errors.push_back({{"id", "contact-name"}, {"message", text(l, it->second)}});
    }
    auto entry = [&](const char* name, nlohmann::json field) {
        const std::string id = std::string("contact-") + name;
        field["id"] = id;
        field["error_id"] = id + "-error";
        auto it = v.errors.find(name);
        field["error"] = it == v.errors.end() ? "" : text(l, it->second);
        if (it != v.errors.end()) errors.push_back({{"id", id}, {"message", text(l, it->second)}});
        out[name] = std::move(field);
    };
    entry("name", {{"value", v.input.name}});
    entry("email", {{"value", v.input.email}});
    entry("company", {{"value", v.input.company}});
    entry("message", {{"value", v.input.message}});
    entry("consent", {{"checked", v.input.consent}});
    out["has_errors"] = !errors.empty();
    out["errors"] = std::move(errors);
    return out;
}

std::string renderThanks(const std::string& locale, const std::string& form_path) {
    std::string body = std::string("<h1>") + text(locale, "thanks_title") + "</h1>\n<p>" +
                       text(locale, "thanks_text") + "</p>\n<p><a href=\"" +
                       sdk::escapeHtml(form_path) + "\">" + text(locale, "back") + "</a></p>\n";
    return page(locale, text(locale, "thanks_title"), body);
}

}  // namespace portico::plugins::contact
