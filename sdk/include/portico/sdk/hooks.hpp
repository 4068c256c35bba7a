#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "portico/sdk/http.hpp"
#include "portico/sdk/status.hpp"

namespace portico::sdk {

/// Ordered bands for early hooks: lower runs first. Within a band, plugins run in the resolved
/// dependency order.
namespace band {
inline constexpr int kFirewall = 100;   ///< connection-level refusals, deny lists
inline constexpr int kRateLimit = 200;  ///< rate limiting
inline constexpr int kRedirect = 300;   ///< canonical host, trailing slash, locale redirects
inline constexpr int kDefault = 500;    ///< anything else
}  // namespace band

/// What an early hook decided.
enum class EarlyResult {
    kContinue,  ///< go on to routing
    kRespond,   ///< the hook filled the response; skip routing
};

/// Runs before routing, on a worker thread, or on an I/O thread when neither it nor any other
/// early hook nor the route blocks (see `RouteSpec::blocking`); may rewrite the request or answer
/// at once.
using EarlyHook = std::function<EarlyResult(Request&, Response&)>;
/// The one handler owning method + path; runs concurrently with itself, on a worker thread, or
/// on an I/O thread for a route with `blocking = false`.
using Handler = std::function<void(const Request&, Response&)>;
/// Runs after the handler (and for host-made errors, 304s and early answers) to add headers.
using HeaderHook = std::function<void(const Request&, Response&)>;
/// Facts about the HTML resource being transformed.
struct TransformInfo {
    std::string path;    ///< the URL path the resource is served under, if known
    std::string locale;  ///< its locale, if known
};
/// Rewrites an HTML document: once per prebuilt resource when it is built, and per response for
/// dynamic `text/html` 200 answers. Must be idempotent (applying it twice changes nothing more)
/// and thread-safe.
using HtmlTransform = std::function<std::string(std::string html, const TransformInfo&)>;
/// Runs once per response of the public listener after it was written or the write failed
/// (access logs, metrics), on the I/O thread that wrote it: must not block (no data store,
/// network, file or long-held lock) and must not throw.
using CompletionHook = std::function<void(const Request&, const Response&, const Completion&)>;

/// Where a route is mounted.
struct RouteSpec {
    std::string method = "GET";  ///< upper-case method; a GET route also answers HEAD
    std::string path;            ///< absolute path, e.g. "/hello"
    bool prefix = false;         ///< true: match `path` and everything below it
    std::string host;            ///< virtual host; empty = every host without its own route
    /// Largest request body accepted (larger: 413 before it is read). 0 = none for a GET route
    /// (a GET expects no body), the host's `server.max_body_bytes` for other methods.
    std::size_t max_body_bytes = 0;
    /// Which listener serves the route: "" = the public one; "admin" = the admin listener
    /// (loopback by default, see the host's `admin` config), which runs no early, header or
    /// completion hooks.
    std::string listener;
    /// True (the safe default): the handler may wait (data store, network, disk, locks held
    /// long), so it runs on the worker pool. False: it only computes from memory or serves a
    /// prebuilt resource, never waits; the host then runs it (and the early and header hooks)
    /// on the I/O thread, saving the hand-off to a worker, unless an early hook blocks.
    bool blocking = true;
};

/// How an early hook is run.
struct EarlyHookSpec {
    int band = band::kDefault;  ///< see `band`
    /// True (the default): the hook may wait (a network call such as a shared rate-limit store),
    /// so every request of the public listener runs on the worker pool while it is registered.
    /// False: it only works from memory and never waits.
    bool blocking = true;
};

/// Registration of hooks; only valid during `Plugin::configure()`. Throws `std::logic_error`
/// when used at another time. Conflicts (two handlers for one host + method + path) are
/// reported by the host as start-up errors naming both plugins.
class Hooks {
public:
    virtual ~Hooks() = default;
    virtual void addEarlyHook(EarlyHookSpec spec, EarlyHook hook) = 0;
    /// An early hook in `band` that may block (`EarlyHookSpec{band}`).
    void addEarlyHook(int band, EarlyHook hook) {
        addEarlyHook(EarlyHookSpec{band, true}, std::move(hook));
    }
    virtual void addRoute(RouteSpec spec, Handler handler) = 0;
    virtual void addHeaderHook(HeaderHook hook) = 0;
    virtual void addHtmlTransform(HtmlTransform transform) = 0;
    virtual void addCompletionHook(CompletionHook hook) = 0;
    /// Registers a check that readiness (`/readyz`) depends on; `name` must be unique.
    virtual void addHealthCheck(std::string name, HealthCheck check) = 0;
};

}  // namespace portico::sdk
