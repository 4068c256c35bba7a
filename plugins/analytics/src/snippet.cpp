#include "snippet.hpp"

#include <algorithm>
#include <cctype>

#include "portico/sdk/csp.hpp"
#include "portico/sdk/html.hpp"
#include "portico/sdk/http.hpp"

namespace portico::plugins::analytics {

std::string scriptTag(const Settings& s) {
    if (s.provider == "plausible") {
        return "<script defer data-domain=\"" + sdk::escapeHtml(s.domain) + "\" src=\"" +
               sdk::escapeHtml(s.script_url) + "\"></script>";
    }
    std::string tag = "<script defer src=\"" + sdk::escapeHtml(s.script_url) +
                      "\" data-website-id=\"" + sdk::escapeHtml(s.website_id) + "\"";
    if (!s.domains.empty()) {
        std::string list;
        for (const auto& d : s.domains) list += (list.empty() ? "" : ",") + d;
        tag += " data-domains=\"" + sdk::escapeHtml(list) + "\"";
    }
    if (s.do_not_track) tag += " data-do-not-track=\"true\"";
    return tag + "></script>";
}

std::string inject(std::string html, const std::string& tag, const std::string& script_url) {
    return sdk::insertBeforeHeadEnd(std::move(html), tag,
                                    "src=\"" + sdk::escapeHtml(script_url) + "\"");
}

std::string originOf(const std::string& url) {
    std::string lower = url;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::size_t scheme = lower.rfind("https://", 0) == 0  ? 8
                         : lower.rfind("http://", 0) == 0 ? 7
                                                          : 0;
    if (scheme == 0) return "";
    std::size_t end = lower.find_first_of("/?#", scheme);
    std::string origin = lower.substr(0, end);
    if (origin.size() == scheme || origin.find_first_of(" \t\"'") != std::string::npos) return "";
    return origin;
}

std::string amendCsp(const std::string& policy, const std::string& origin) {
    sdk::Csp csp = sdk::Csp::parse(policy);
    for (const char* directive : {"script-src", "connect-src"}) {
        // Without the directive and default-src everything is allowed; once the directive
        // exists it must still allow the site's own scripts and requests.
        if (!csp.find(directive) && !csp.find("default-src")) csp.add(directive, {"'self'"});
        csp.add(directive, {origin});
    }
    return csp.str();
}

}  // namespace portico::plugins::analytics
