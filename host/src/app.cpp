#include <Poco/Util/ServerApplication.h>
#include <signal.h>
#include <spdlog/fmt/ranges.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <thread>

#include "cli.hpp"
#include "config_report.hpp"
#include "fd_limit.hpp"
#include "live_reload.hpp"
#include "logging.hpp"
#include "notify.hpp"
#include "server.hpp"
#include "store/store.hpp"
#include "transport/event_transport.hpp"
#include "watch.hpp"

namespace portico::host {

namespace {

// Why a reload failed, for `serve --watch` to show in the browser; null when nobody asks.
using ReloadErrors = std::vector<std::string>*;

// Where the problems of a generation go: stderr at start-up, the log on reload (and `errors`).
ProblemSink problemSink(bool first, ReloadErrors errors) {
    if (first) return printProblems;
    return [errors](const std::vector<ConfigProblem>& problems) {
        for (const auto& p : problems) {
            spdlog::default_logger()->error("reload: {}", p.str());
            if (errors) errors->push_back(p.str());
        }
    };
}

// Opens the log (at start-up only) and the data directory; false after saying why.
bool prepareServices(const std::string& file, const Config& config, bool first) {
    if (first) {
        try {
            setupLogging(config.log);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "%s: log.file: cannot open \"%s\": %s\n", file.c_str(),
                         config.log.file.c_str(), e.what());
            return false;
        }
    }
    auto logger = spdlog::default_logger();
    try {
        // Plugins keep what visitors sent and their secrets here: only the server's user may
        // read them.
        if (const unsigned was = makePrivateDir(config.site.data_dir)) {
            logger->warn("data_dir: \"{}\" was mode {:04o}, narrowed to 0700", config.site.data_dir,
                         was);
        }
    } catch (const std::filesystem::filesystem_error& e) {
        logger->error("{}: data_dir: cannot create \"{}\": {}", file, config.site.data_dir,
                      e.code().message());
        return false;
    }
    return true;
}

// Builds and starts a generation; returns null after printing why (and adding it to `errors`).
std::shared_ptr<Generation> buildGeneration(const std::string& file, Services& services, bool first,
                                            ReloadErrors errors = nullptr) {
    const ProblemSink report = problemSink(first, errors);
    auto config = loadConfigOrReport(file, report);
    if (!config) return nullptr;
    if (!prepareServices(file, *config, first)) {
        if (errors) errors->push_back(file + ": data_dir: cannot be used (see the log)");
        return nullptr;
    }
    auto logger = spdlog::default_logger();
    auto generation = std::make_shared<Generation>(std::move(*config), services);
    auto problems = generation->prepare();
    if (!problems.empty()) {
        report(problems);
        return nullptr;
    }
    std::string order;
    for (const auto& id : generation->order()) order += (order.empty() ? "" : " -> ") + id;
    logger->info("plugin order: {}", order.empty() ? "(none)" : order);
    try {
        generation->start();
    } catch (const std::exception& e) {
        logger->error("{}", e.what());
        if (first) std::fprintf(stderr, "%s\n", e.what());
        if (errors) errors->push_back(e.what());
        return nullptr;
    }
    for (const auto& w : generation->warnings()) logger->warn("degraded: {}", w);
    return generation;
}

// Raises the open-file limit and sizes max_connections from it when the config says 0 (auto).
ServerConfig connectionLimits(ServerConfig server, spdlog::logger& logger) {
    const FdLimit fds = raiseFdLimit();
    if (fds.after > fds.before) {
        logger.info("open-file limit raised from {} to {} (the hard limit)", fds.before, fds.after);
    }
    if (server.max_connections == 0) {
        server.max_connections = autoMaxConnections(fds.after);
        logger.info("max_connections: {} per listener (open-file limit {} less {} reserved)",
                    server.max_connections, fds.after, kFdReserve);
    } else if (server.max_connections + kFdReserve > fds.after) {
        logger.warn(
            "server.max_connections {} is near the open-file limit {}: past it new "
            "connections get 503 (raise `ulimit -n` or LimitNOFILE)",
            server.max_connections, fds.after);
    }
    return server;
}

// Waits until nobody but `keeper` holds `old` (in-flight requests of that generation).
void retire(std::shared_ptr<Generation> old, std::chrono::milliseconds deadline) {
    auto until = std::chrono::steady_clock::now() + deadline;
    while (old.use_count() > 1 && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    old->stop();
}

// "<file>: listen.port: cannot listen on ..." naming the config key of the listener.
std::string listenError(const std::string& file, const char* key, const std::exception& e) {
    const std::string what = e.what();
    const bool address = what.find("assign requested address") != std::string::npos;
    return file + ": " + key + (address ? ".address: " : ".port: ") + what;
}

// The public listener and, when a plugin mounted admin routes, the admin listener.
struct Listeners {
    std::unique_ptr<EventTransport> main;
    std::unique_ptr<EventTransport> admin;
};

// Binds the listeners; null after printing which config key could not be bound.
std::unique_ptr<Listeners> startListeners(const std::string& file, const Generation& generation,
                                          const ServerConfig& limits, Server& server,
                                          Services& services) {
    auto logger = spdlog::default_logger();
    const Config& config = generation.config();
    auto listeners = std::make_unique<Listeners>();
    listeners->main =
        std::make_unique<EventTransport>(config.listen, limits, server, false, &services.metrics);
    if (config.admin.enabled && generation.pipeline().adminRouteCount() > 0) {
        listeners->admin = std::make_unique<EventTransport>(config.admin.listen, limits, server,
                                                            true, &services.metrics);
    }
    const char* key = "listen";
    try {
        listeners->main->start();
        key = "admin";
        if (listeners->admin) listeners->admin->start();
    } catch (const std::exception& e) {
        const std::string message = listenError(file, key, e);
        logger->error("{}", message);
        std::fprintf(stderr, "%s\n", message.c_str());
        listeners->main->stop();
        return nullptr;
    }
    if (listeners->admin) {
        logger->info("admin listener on http://{}:{} ({} routes)", config.admin.listen.address,
                     listeners->admin->port(), generation.pipeline().adminRouteCount());
    }
    return listeners;
}

// Logs each plugin library the host let go of: unloaded, or kept in memory by the system loader
// (which defeats upgrades without a restart). Removed again when the scope ends.
class LibraryLog {
public:
    explicit LibraryLog(const Server& server) {
        sdk::PluginLibrary::setCloseListener([&server](const sdk::LibraryInfo& lib) {
            auto logger = spdlog::default_logger();
            if (lib.pinned && lib.used) {
                logger->warn(
                    "plugin {} version {} ({}) stays in memory after its last use: the system "
                    "loader cannot unload it (STB_GNU_UNIQUE symbols or thread_local objects "
                    "with destructors); a new version of the file will still load beside it; "
                    "fix: build it with portico_add_plugin (-fno-gnu-unique) and without "
                    "thread_local objects that have destructors",
                    lib.id, lib.version, lib.path);
                return;
            }
            const auto level =
                lib.used && !server.draining() ? spdlog::level::info : spdlog::level::debug;
            logger->log(level, "plugin {} version {} unloaded ({}, loaded by generation {})",
                        lib.id, lib.version, lib.path, lib.generation);
        });
    }
    ~LibraryLog() { sdk::PluginLibrary::setCloseListener(nullptr); }
    LibraryLog(const LibraryLog&) = delete;
    LibraryLog& operator=(const LibraryLog&) = delete;
};

// `serve --watch`: the file watcher and the browsers' live reload; both null without it.
struct Watching {
    std::unique_ptr<LiveReload> live;
    std::unique_ptr<FileWatcher> files;
};

// Reloads `file` as a new generation (SIGHUP); a broken one keeps the running generation.
// With `--watch`, open tabs hear of either outcome and the watcher looks at the new roots.
void reload(const std::string& file, Server& server, Services& services, Watching& watching) {
    auto logger = spdlog::default_logger();
    logger->info("SIGHUP: reloading {}", file);
    std::vector<std::string> errors;
    auto next = buildGeneration(file, services, false, watching.live ? &errors : nullptr);
    if (watching.files) watching.files->refresh();
    if (!next) {
        logger->error("reload failed; the running configuration stays");
        if (watching.live) watching.live->failed(errors);
        return;
    }
    const Config& running = server.current()->config();
    if (next->config().listen.address != running.listen.address ||
        next->config().listen.port != running.listen.port) {
        logger->warn("reload: listen address changes need a restart");
    }
    auto old = server.swap(next);
    next.reset();
    const std::uint64_t number = server.current()->number();
    logger->info("generation {} serving; the previous one finishes its requests", number);
    if (watching.live) {
        watching.live->reloaded(number);
        logger->info("watch: {} open page(s) told to reload", watching.live->streams());
    }
    retire(std::move(old),
           std::chrono::milliseconds(server.current()->config().server.shutdown_timeout_ms));
    logger->info("reload complete (generation {})", number);
}

// Serves until SIGINT or SIGTERM, reloading on SIGHUP (told to systemd as RELOADING=1, then
// READY=1 whether the reload succeeded or the old generation stays).
void waitForSignals(const std::string& file, Server& server, Services& services,
                    const ServiceNotifier& notifier, Watching& watching) {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGHUP);
    for (;;) {
        int sig = 0;
        if (sigwait(&signals, &sig) != 0) continue;
        if (sig != SIGHUP) return;
        notifier.reloading();
        reload(file, server, services, watching);
        notifier.ready("serving");
    }
}

// Drains in-flight requests, closes the listeners and stops the last generation.
void shutDown(Server& server, Listeners& listeners) {
    auto logger = spdlog::default_logger();
    auto current = server.current();
    auto deadline = std::chrono::milliseconds(current->config().server.shutdown_timeout_ms);
    logger->info("shutting down: draining in-flight requests (up to {} ms)", deadline.count());
    server.setDraining();
    if (auto delay = current->config().server.drain_delay_ms; delay > 0) {
        // Readiness fails now; keep serving while load balancers notice, then stop accepting.
        logger->info("draining: readiness fails, accepting for {} ms more", delay);
        std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    }
    listeners.main->stopAccepting();
    bool clean = listeners.main->drain(deadline);
    if (!clean) logger->warn("shutdown deadline passed with requests in flight");
    listeners.main->stop();
    if (listeners.admin) listeners.admin->stop();
    current.reset();
    auto last = server.swap(nullptr);
    last->stop();
    logger->info("stopped");
    logger->flush();
}

// How long the watched files must stay quiet before a rebuild: one save (or a checkout) that
// writes several files is one rebuild, and an author hardly notices the wait.
constexpr std::chrono::milliseconds kWatchQuiet{150};

// `--watch`: a SIGHUP whenever a file the config names changes.
std::unique_ptr<FileWatcher> watchFiles(Server& server) {
    auto logger = spdlog::default_logger();
    auto roots = [&server] { return watchRoots(server.current()->config()); };
    logger->info("watch: reloading when any of these changes: {}", fmt::join(roots(), ", "));
    return std::make_unique<FileWatcher>(roots, kWatchQuiet, [logger](const std::string& path) {
        logger->info("watch: {} changed", path);
        ::kill(::getpid(), SIGHUP);  // the same path as an operator's SIGHUP
    });
}

// `--watch` once the first generation serves: the file watcher, and the live reload told which
// generation that is. False after saying why the watcher cannot run.
bool startWatching(Watching& watching, Server& server, std::uint64_t generation) {
    auto logger = spdlog::default_logger();
    try {
        watching.files = watchFiles(server);
    } catch (const std::exception& e) {
        logger->error("{}", e.what());
        std::fprintf(stderr, "%s\n", e.what());
        return false;
    }
    watching.live->reloaded(generation);
    logger->info("watch: open pages reload after each rebuild (events at {})",
                 LiveReload::kEndpoint);
    return true;
}

class PorticoApp final : public Poco::Util::ServerApplication {
public:
    explicit PorticoApp(CommandLine cli) : cli_(std::move(cli)) {}

protected:
    int main(const std::vector<std::string>&) override {
        const std::string file = configPath(cli_);
        Server server;
        LibraryLog library_log(server);
        Services services(server);
        Watching watching;
        if (cli_.options.count("watch")) {
            watching.live = std::make_unique<LiveReload>();
            services.host_hooks = [live = watching.live.get()](std::uint64_t number) {
                return live->hooks(number);
            };
        }
        auto generation = buildGeneration(file, services, true);
        if (!generation) return 1;
        auto logger = spdlog::default_logger();
        const Config& config = generation->config();
        auto data_lock = DataDirLock::holdShared(config.site.data_dir);  // see `portico restore`
        server.swap(generation);
        const ServerConfig limits = connectionLimits(config.server, *logger);
        auto listeners = startListeners(file, *generation, limits, server, services);
        if (!listeners) {
            server.swap(nullptr);
            generation->stop();
            return 1;
        }
        if (watching.live && !startWatching(watching, server, generation->number())) {
            listeners->main->stop();
            server.swap(nullptr);
            generation->stop();
            return 1;
        }
        logger->info("portico listening on http://{}:{} ({} routes){}", config.listen.address,
                     listeners->main->port(), generation->pipeline().routeCount(),
                     generation->warnings().empty() ? "" : " (degraded)");
        generation.reset();
        const ServiceNotifier notifier = ServiceNotifier::fromEnvironment();
        notifier.ready("serving");
        WatchdogPinger watchdog(notifier);
        waitForSignals(file, server, services, notifier, watching);
        notifier.stopping();
        watching.files.reset();
        shutDown(server, *listeners);
        return 0;
    }

private:
    CommandLine cli_;
};

}  // namespace

int runServe(const CommandLine& cli) {
    // Signals are taken by sigwait() on the main thread; block them before any thread starts.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    PorticoApp app(cli);
    std::string program = cli.program;
    char* args[] = {program.data(), nullptr};
    return app.run(1, args);
}

}  // namespace portico::host
