#pragma once

// What counts as a page view and what is kept of it: pure functions over request and response
// data, no store, no clock.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "portico/sdk/http.hpp"

namespace portico::plugins::insights {

/// What the completion hook keeps of one counted answer until the next flush. The client
/// address and user agent live only here, in memory, and are hashed at the flush.
struct Hit {
    std::int64_t at = 0;  ///< seconds since the epoch, UTC
    bool found = true;    ///< false: a 404 page
    std::string path;
    std::string query;
    std::string referrer;
    std::string user_agent;
    std::string client;  ///< the client address the host decided (trusted proxies)
    std::string host;
};

/// True when an answer is a page a person may have seen: a GET (not HEAD) answered 200 or 304
/// (a revisit of a page the browser cached) or 404, as text/html, and not a prefetch or
/// preview (`Sec-Purpose`, `Purpose`, `X-Purpose`, `X-Moz`). Bots are sorted out at the
/// flush. Pure; any thread; never throws.
bool isPageAnswer(const sdk::Request& req, const sdk::Response& res) noexcept;

/// Browser family, operating system family and device class of a User-Agent, e.g.
/// {"Firefox", "Linux", "desktop"}; "Other" where it cannot tell.
struct Agent {
    std::string browser;
    std::string os;
    std::string device;  ///< "desktop", "mobile" or "tablet"
};
Agent classifyAgent(std::string_view user_agent);

/// The host of a Referer URL, lower-case, without "www." and port; "" for a missing or
/// unparsable referrer and for one of `own_hosts` (a visitor moving inside the site).
std::string referrerDomain(std::string_view referer, const std::vector<std::string>& own_hosts);

/// Visitor-supplied text fit to be stored as a dimension value: control characters and
/// invalid UTF-8 dropped, spaces trimmed, at most `max_bytes` bytes (never cutting a
/// character in two).
std::string cleanValue(std::string_view text, std::size_t max_bytes = 100);

/// The locale of a path: its first segment when that is one of `locales`, else "".
std::string localeOf(std::string_view path, const std::vector<std::string>& locales);

}  // namespace portico::plugins::insights
