#include "portico/sdk/redirect.hpp"

#include <stdexcept>

namespace portico::sdk {

std::string originForm(std::string_view target) {
    if (target.empty() || target == "*") return "/";
    std::string out;
    if (target.front() == '/') {
        out = std::string(target);
    } else {
        const auto authority = target.find("://");
        if (authority == std::string_view::npos) return "/";
        const auto rest = target.find_first_of("/?#", authority + 3);
        if (rest == std::string_view::npos || target[rest] == '#') return "/";
        out = std::string(target.substr(rest));
        if (out.front() == '?') out.insert(0, "/");
    }
    // "//evil.example/x" in a Location is another host (a network-path reference): keep one
    // slash, so a redirect never leaves the site whatever path a client sends.
    const auto slashes = out.find_first_not_of('/');
    if (slashes != std::string::npos && slashes > 1) out.erase(0, slashes - 1);
    if (slashes == std::string::npos) out = "/";
    return out;
}

void redirect(Response& res, int status, const std::string& location) {
    if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
        throw std::invalid_argument("redirect: status must be 301, 302, 303, 307 or 308, got " +
                                    std::to_string(status));
    }
    for (const char c : location) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            throw std::invalid_argument("redirect: location holds a control character, got \"" +
                                        escapeControls(location) + "\"");
        }
    }
    res.status = status;
    res.resource.reset();
    res.headers.set("Location", location);
    res.headers.set("Content-Type", "text/plain; charset=utf-8");
    res.body = std::to_string(status) + " " + reasonPhrase(status) + "\n";
}

bool redirectToTrailingSlash(const Request& req, Response& res,
                             const std::function<bool(const std::string& path)>& exists) {
    if (req.path.empty() || req.path.back() == '/' || !exists(req.path + "/")) return false;
    std::string location = originForm(req.target);
    location.insert(location.find('?') == std::string::npos ? location.size() : location.find('?'),
                    "/");
    redirect(res, 301, location);
    return true;
}

}  // namespace portico::sdk
