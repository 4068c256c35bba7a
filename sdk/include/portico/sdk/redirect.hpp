#pragma once

// Redirect answers: one shape for every redirect a plugin or the host sends, and the
// trailing-slash redirect of sites whose pages live at ".../" URLs (pages, studio).

#include <functional>
#include <string>
#include <string_view>

#include "portico/sdk/http.hpp"

namespace portico::sdk {

/// The request-target in origin form as the client sent it, still percent-encoded: "/a?x=1"
/// stays; an absolute-form target keeps its path and query ("http://h:8080/a?x=1" -> "/a?x=1",
/// "http://h?x=1" -> "/?x=1", "http://h" -> "/"); "*" and "" give "/". Leading slashes become
/// one ("//evil.example/x" -> "/evil.example/x"), so the result never names another host. For
/// a Location that must repeat what the client asked for. Pure; any thread.
std::string originForm(std::string_view target);

/// Fills `res` as a redirect to `location`: `status`, Location, Content-Type text/plain and
/// the body "<status> <reason>\n" (e.g. "301 Moved Permanently\n"); a prebuilt resource is
/// dropped, other headers are kept. Any thread. Throws `std::invalid_argument` for a status
/// other than 301, 302, 303, 307 and 308, or a location holding a control character.
void redirect(Response& res, int status, const std::string& location);

/// The trailing-slash redirect: when `req.path` does not end in '/' and `exists(req.path +
/// "/")` is true, answers 301 to the target as sent with '/' added to its path (the query
/// kept: "/de/about?x=1" -> "/de/about/?x=1") and returns true; else leaves `res` alone and
/// returns false. Call from a handler, on any thread.
bool redirectToTrailingSlash(const Request& req, Response& res,
                             const std::function<bool(const std::string& path)>& exists);

}  // namespace portico::sdk
