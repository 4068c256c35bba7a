#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace portico::sdk {

/// Case-insensitive ASCII comparison, as HTTP field names need.
bool iequals(std::string_view a, std::string_view b) noexcept;

/// Decodes `%XX` escapes (and '+' as a space when `plus_is_space`, as in query strings).
/// Malformed escapes are kept literally. Pure; any thread; throws only `std::bad_alloc`.
std::string percentDecode(std::string_view text, bool plus_is_space = false);

/// An ordered list of HTTP fields; names compare case-insensitively. Not thread-safe; each
/// request and response owns its own.
class Headers {
public:
    using Field = std::pair<std::string, std::string>;

    /// First value of `name`, or nullopt.
    std::optional<std::string> get(std::string_view name) const;
    /// First value of `name` without a copy, or null; valid until the headers change. For the
    /// per-request path, where `get`'s copy shows in a profile.
    const std::string* find(std::string_view name) const noexcept;
    /// First value of `name`, or `fallback`.
    std::string getOr(std::string_view name, std::string_view fallback) const;
    bool has(std::string_view name) const;
    /// Replaces every field called `name` with one field.
    void set(std::string name, std::string value);
    /// Appends a field, keeping any existing ones (for Set-Cookie, Vary, ...).
    void add(std::string name, std::string value);
    /// Removes every field called `name`.
    void remove(std::string_view name);

    const std::vector<Field>& fields() const noexcept { return fields_; }
    bool empty() const noexcept { return fields_.empty(); }

private:
    std::vector<Field> fields_;
};

/// One request as the host parsed it. Handlers get it read-only; early hooks may rewrite it.
struct Request {
    std::string method;          ///< upper-case token, e.g. "GET"
    std::string target;          ///< request-target as sent, e.g. "/a/b?x=1"
    std::string path;            ///< percent-decoded path without the query, e.g. "/a/b"
    std::string query;           ///< raw query string without '?', may be empty
    std::string version;         ///< "HTTP/1.1"
    std::string host;            ///< Host header without port, lower-case
    std::string client_address;  ///< TCP peer address (no port)
    std::string request_id;      ///< X-Request-Id from the client if sane (see
                                 ///< `isSaneRequestId`), else generated
    Headers headers;
    std::string body;

    /// Value of the first query parameter `name` (percent-decoded), or nullopt.
    std::optional<std::string> queryParam(std::string_view name) const;
};

/// The host name of a Host header value as `Request::host` holds it: without the port,
/// lower-case, an IPv6 literal without its brackets ("Example.COM:8080" -> "example.com",
/// "[::1]:80" -> "::1"). The host and the test kit both fill `Request::host` with it. Any thread.
std::string hostWithoutPort(std::string_view value);

/// An immutable, prebuilt response body with its metadata, shared between requests. Build one
/// through `Context::buildResource()` (which applies HTML transforms and compresses); the host
/// then only negotiates the encoding and answers 304 per request.
struct Resource {
    std::string content_type;
    std::string body;           ///< identity encoding
    std::string gzip;           ///< empty when compression does not pay
    std::string brotli;         ///< empty when compression does not pay
    std::string etag;           ///< strong ETag including quotes
    std::string last_modified;  ///< IMF-fixdate, may be empty
    std::string cache_control;  ///< e.g. "no-cache" or "public, max-age=31536000, immutable"
};

/// The answer a handler or hook builds. Either `body` or `resource` is used, not both.
struct Response {
    int status = 200;
    Headers headers;
    std::string body;
    std::shared_ptr<const Resource> resource;

    /// Sets status, Content-Type and body in one call.
    void send(int code, std::string content_type, std::string text);
    /// Serves a prebuilt resource with status 200; the host adds ETag, Cache-Control,
    /// Content-Encoding and Vary.
    void serve(std::shared_ptr<const Resource> res);
};

/// Escapes text for HTML or XML content and double- or single-quoted attribute values:
/// & < > " ' become &amp; &lt; &gt; &quot; &#39;. Any thread; never throws except bad_alloc.
std::string escapeHtml(std::string_view text);

/// Makes untrusted text safe for a terminal, a log line or any one-line display: C0 controls,
/// DEL, C1 controls (U+0080..U+009F) and bytes that are not valid UTF-8 become visible escapes
/// (`\n`, `\r`, `\t`, `\x1b`, `\u0085`, `\xff`), and a backslash becomes `\\`, so the output
/// can always be read back unambiguously. Valid printable UTF-8 passes unchanged. Pure; any
/// thread; throws only `std::bad_alloc`.
std::string escapeControls(std::string_view text);

/// True when a client's X-Request-Id may become `Request::request_id`: 1 to 64 characters,
/// each a letter, digit, '-', '_' or '.'. The host generates an id for any other value, so an
/// id can go into a log line or a header as it is. Pure; any thread.
bool isSaneRequestId(std::string_view id) noexcept;

/// Standard reason phrase for a status code ("Not Found"), or "Unknown".
const char* reasonPhrase(int status) noexcept;

/// What the host knows after a response was written, for completion hooks.
struct Completion {
    std::chrono::nanoseconds duration{0};
    std::uint64_t bytes_sent = 0;  ///< body bytes written (after encoding)
    std::string plugin;            ///< id of the plugin that answered, empty for the host
    std::string route;             ///< the route pattern that matched, empty if none
};

}  // namespace portico::sdk
