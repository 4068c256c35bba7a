#pragma once

// The SDK test kit: drive a real plugin `.so` in-process, without sockets, with a fake clock
// and a manual scheduler. Link `Portico::testkit` into a plugin's tests (portico_add_plugin
// does this for TESTS) and pass PORTICO_TEST_PLUGIN_FILE to `TestHost`.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "portico/sdk/abi.hpp"
#include "portico/sdk/clock.hpp"
#include "portico/sdk/context.hpp"
#include "portico/sdk/hooks.hpp"
#include "portico/sdk/http.hpp"
#include "portico/sdk/metrics.hpp"
#include "portico/sdk/plugin.hpp"

namespace portico::testkit {

/// A clock that only moves when told to. Starts at 2026-01-01T00:00:00Z (wall time) and at a
/// fixed monotonic time. Thread-safe; never throws.
class FakeClock : public sdk::Clock {
public:
    /// The wall-clock start, 2026-01-01T00:00:00Z.
    static std::chrono::system_clock::time_point startTime();

    FakeClock();
    std::chrono::system_clock::time_point now() const override;
    std::chrono::steady_clock::time_point monotonic() const override;
    /// Moves wall and monotonic time forward together. Any thread.
    void advance(std::chrono::steady_clock::duration by);

private:
    mutable std::mutex mutex_;
    std::chrono::system_clock::time_point wall_;
    std::chrono::steady_clock::time_point mono_;
};

/// A scheduler whose tasks run only when the test calls `runDue()`, judged by a `FakeClock`'s
/// monotonic time. Thread-safe.
class ManualScheduler : public sdk::Scheduler {
public:
    /// `clock` must outlive the scheduler.
    explicit ManualScheduler(const FakeClock& clock);
    /// Records a task, first due one `interval` from the clock's current time. Throws
    /// `std::invalid_argument` for a non-positive interval or an empty task.
    void every(std::string name, std::chrono::milliseconds interval,
               std::function<void()> task) override;
    /// Runs every task whose time has come, in registration order, at most once per call (a task
    /// that missed several intervals runs once; its next time is the first one in the future).
    /// An exception from a task is recorded in `errors()` and the task stays scheduled.
    /// Returns the number of tasks run. Call from the test's thread.
    std::size_t runDue();
    /// Names of the recorded tasks, in registration order.
    std::vector<std::string> taskNames() const;
    /// "<task name>: <what()>" for each task run that threw.
    std::vector<std::string> errors() const;
    /// Drops every task (the TestHost does this before stopping the plugin).
    void clear();

private:
    struct Task {
        std::string name;
        std::chrono::milliseconds interval;
        std::function<void()> fn;
        std::chrono::steady_clock::time_point next;
    };
    const FakeClock& clock_;
    mutable std::mutex mutex_;
    std::vector<std::shared_ptr<Task>> tasks_;
    std::vector<std::string> errors_;
};

/// Builds an `sdk::Request` the way the host's parser would:
///
///     auto req = RequestBuilder("GET", "/hello?name=Ada").header("Host", "Example.com:8080")
///                    .client("203.0.113.9").build();
///
/// `path` is percent-decoded, `query` is the raw part after '?', `host` is the Host header
/// lower-cased without its port ("localhost" and a Host header are added when absent), and
/// `request_id` is the X-Request-Id header when sane (as the host takes it), else "test-<n>"
/// counting up per process, unless set. Never throws on odd input.
class RequestBuilder {
public:
    RequestBuilder(std::string method, std::string target);
    /// Appends a header field (repeat for several values).
    RequestBuilder& header(std::string name, std::string value);
    /// Sets the body; Content-Length is added on build unless given.
    RequestBuilder& body(std::string body);
    /// Sets the client (TCP peer) address; default "127.0.0.1".
    RequestBuilder& client(std::string address);
    /// Sets the request id instead of the generated "test-<n>".
    RequestBuilder& requestId(std::string id);
    sdk::Request build() const;

private:
    sdk::Request request_;
};

/// The HostStatus a TestHost hands its plugin; tests flip its state to drive health logic.
class TestStatus final : public sdk::HostStatus {
public:
    bool draining() const noexcept override { return draining_; }
    bool started() const noexcept override { return started_; }
    std::vector<std::string> degraded() const override { return degraded_; }
    std::vector<sdk::PluginStatus> plugins() const override { return plugins_; }
    std::vector<std::pair<std::string, sdk::CheckResult>> runHealthChecks() const override;
    std::chrono::system_clock::time_point startTime() const noexcept override { return start_; }
    std::string version() const override { return "0.0.0-test"; }
    std::uint64_t generation() const noexcept override { return generation_; }
    std::vector<sdk::LibraryStatus> libraries() const override { return libraries_; }

    void setDraining(bool on) noexcept { draining_ = on; }
    void setStarted(bool on) noexcept { started_ = on; }
    void setDegraded(std::vector<std::string> why) { degraded_ = std::move(why); }
    void setPlugins(std::vector<sdk::PluginStatus> list) { plugins_ = std::move(list); }
    void setStartTime(std::chrono::system_clock::time_point t) noexcept { start_ = t; }
    /// What `generation()` answers (1 by default: the host as started).
    void setGeneration(std::uint64_t n) noexcept { generation_ = n; }
    /// What `libraries()` answers (empty by default).
    void setLibraries(std::vector<sdk::LibraryStatus> list) { libraries_ = std::move(list); }
    /// Checks registered by the plugin through `Hooks::addHealthCheck`, plus any a test adds.
    void addCheck(std::string name, sdk::HealthCheck check);

private:
    bool draining_ = false;
    bool started_ = false;
    std::vector<std::string> degraded_;
    std::vector<sdk::PluginStatus> plugins_;
    std::vector<std::pair<std::string, sdk::HealthCheck>> checks_;
    std::chrono::system_clock::time_point start_{};
    std::uint64_t generation_ = 1;
    std::vector<sdk::LibraryStatus> libraries_;
};

/// What a `TestHost` provides besides the plugin's own config. The defaults match the
/// documented test site.
struct TestHostOptions {
    std::string base_url = "http://localhost:8080";
    std::vector<std::string> hosts = {"localhost"};
    std::vector<std::string> locales = {"en", "de"};
    /// spdlog level name for the plugin's logger ("trace" ... "off").
    std::string log_level = "trace";
    /// The host's `server.max_body_bytes`: the body limit of non-GET routes without their own.
    std::uint64_t max_body_bytes = 1048576;
    /// The host's `site.unknown_hosts` as a status: 0 serves the site to any Host, else 404 or
    /// 421 for a Host that is not in `hosts`, claimed by a route, or a loopback name.
    int unknown_hosts = 0;
    /// The host's `site.redirect_www`.
    bool redirect_www = false;
    /// What other plugins of the site publish with `SiteModel::publishFacts`, by name (a JSON
    /// object of objects), published before the plugin is configured, as the host's other
    /// plugins would have been: e.g. {"insights": {"retention_days": 90}} for the pages plugin.
    nlohmann::json site_facts = nlohmann::json::object();
    /// The site's data directory (`SiteInfo::data_dir`, where `data()` keeps portico.db).
    /// Empty: a fresh temporary one, removed with the TestHost. A path: that directory, created
    /// when missing and kept, so a second TestHost on it sees what the first stored, as the
    /// plugin would after a restart.
    std::string data_dir;
};

/// What a plugin command wrote and returned (see `TestHost::runCommand`).
struct CommandResult {
    int status = 0;   ///< the exit status `portico` would have
    std::string out;  ///< what went to stdout
    std::string err;  ///< what went to stderr (the plugin's log lines stay in `logLines()`)
};

/// One registered route, as the test host saw it.
struct RegisteredRoute {
    sdk::RouteSpec spec;
    sdk::Handler handler;
};

/// An in-process host for one real plugin `.so`, loaded with the same ABI and plugin id checks
/// as `portico`, given the host's own plugin context and request pipeline with fake services
/// (clock, scheduler, status) and a real SQLite store. The constructor strips the host keys
/// (`enabled`, `required`, `log_level`) from `config`, validates it against the plugin's schema
/// (throwing `sdk::ConfigError` with every issue, paths relative to the block), then creates
/// the plugin and calls configure, validate and start (calling stop when start throws) and
/// rethrows whatever they throw; route conflicts are a `std::logic_error`. A
/// `std::runtime_error` naming the file, every problem and the fix when the file is refused (a
/// bad ABI record, or an id that breaks the plugin id rule `^[a-z][a-z0-9_]*$`). Use from one
/// thread.
class TestHost {
public:
    TestHost(const std::string& plugin_file, nlohmann::json config = nlohmann::json::object(),
             TestHostOptions options = {});
    /// Stops the plugin, destroys it, then closes the library. Never throws.
    ~TestHost();
    TestHost(const TestHost&) = delete;
    TestHost& operator=(const TestHost&) = delete;

    /// Runs one request through the host's own pipeline (the code `portico` serves with, not a
    /// copy): early hooks by band, the virtual-host step, the matching route (exact beats
    /// prefix, longest prefix wins, host-specific beats any-host, GET answers HEAD; else 404, or
    /// 405 with Allow; a body over the route's limit 413), HTML transforms of a dynamic
    /// text/html 200, header hooks, per-response compression by Accept-Encoding, then
    /// completion hooks. A prebuilt `resource` answer gets its headers, 304 and encoding as in
    /// the host. An `sdk::HttpError` becomes its status; any other exception a 500 with an
    /// `X-Error-Id` that is also logged (see `logLines()`). The returned `body` is what the host
    /// would write (encoded, when the request accepts an encoding; empty for HEAD); the
    /// transport's own fields (Date, Content-Length, Connection) are not added. Never throws.
    sdk::Response handle(const sdk::Request& request);
    sdk::Response handle(const RequestBuilder& request) { return handle(request.build()); }
    /// Runs one request as it arrives on the admin listener: only routes registered with
    /// `RouteSpec::listener = "admin"`, no early, header or completion hooks, no compression,
    /// as in the host. Never throws.
    sdk::Response handleAdmin(const sdk::Request& request);
    sdk::Response handleAdmin(const RequestBuilder& request) {
        return handleAdmin(request.build());
    }

    /// The plugin's config block after validation, with defaults filled in.
    const nlohmann::json& config() const;
    sdk::Plugin& plugin();
    /// The plugin's entry record (id, version, summary, schema, build fingerprint).
    const portico_plugin_record& record() const;
    FakeClock& clock();
    ManualScheduler& scheduler();
    sdk::metrics::Registry& metrics();
    const sdk::SiteInfo& site() const;
    /// The host status the plugin sees; set draining/started/degraded to drive health logic.
    TestStatus& status();
    /// The site model of this test generation.
    sdk::SiteModel& siteModel();
    /// The plugin's data store: a real SQLite file in the test's data directory
    /// (`TestHostOptions::data_dir`), opened on first use; tests may take sessions to look at
    /// what the plugin stored (include "portico/sdk/data.hpp" for that).
    sdk::DataStore& data();
    /// Every line the plugin (and the pipeline, for a failing hook) logged so far, formatted
    /// "[<level>] <message>".
    std::vector<std::string> logLines() const;
    /// Routes in registration order.
    const std::vector<RegisteredRoute>& routes() const;
    std::size_t earlyHookCount() const;
    /// How many early hooks were registered as blocking (`EarlyHookSpec::blocking`).
    std::size_t blockingEarlyHookCount() const;
    std::size_t headerHookCount() const;
    std::size_t htmlTransformCount() const;
    std::size_t completionHookCount() const;
    /// What the completion hooks were told about the last handled request.
    const sdk::Completion& lastCompletion() const;
    /// Runs the plugin's command `name` (see portico/sdk/command.hpp) as `portico NAME
    /// WORD... --OPTION VALUE...` would, through the same C entry and the same command context
    /// as the host, with this TestHost's plugin context. `options` are by name without "--",
    /// a flag with "true". In `portico` the plugin is configured and validated but not started;
    /// here it is the started plugin, so what `start()` prepared (migrations) is in place.
    /// Throws `std::invalid_argument` for what `portico` refuses before a command runs: a
    /// command the plugin does not add, an option it does not declare, more words than it
    /// takes. An exception from the command is reported in `err` with status 1, as in the host.
    CommandResult runCommand(const std::string& name, std::vector<std::string> words = {},
                             std::map<std::string, std::string> options = {});
    /// `Context::buildResource()` as the plugin sees it (with its HTML transforms).
    std::shared_ptr<const sdk::Resource> buildResource(sdk::ResourceSpec spec) const;

    struct State;

private:
    sdk::Response run(const sdk::Request& request, bool admin);

    std::unique_ptr<State> state_;
};

}  // namespace portico::testkit
