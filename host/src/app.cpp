#include "server.hpp"

#include <Poco/Util/ServerApplication.h>
#include <signal.h>
#include <spdlog/fmt/ranges.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <thread>

#include "cli.hpp"
#include "fd_limit.hpp"
#include "logging.hpp"
#include "store/store.hpp"
#include "transport/event_transport.hpp"
#include "watch.hpp"

namespace portico::host {

namespace {

// Builds and starts a generation; returns null after printing why.
std::shared_ptr<Generation> buildGeneration(const std::string& file, Services& services,
                                            bool first) {
    auto logger = spdlog::default_logger();
    Config config;
    try {
        config = loadConfig(file);
    } catch (const ConfigLoadError& e) {
        if (first) {
            printProblems(e.problems());
        } else {
            for (const auto& p : e.problems()) logger->error("reload: {}", p.str());
        }
        return nullptr;
    }
    if (first) {
        try {
            setupLogging(config.log);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "%s: log.file: cannot open \"%s\": %s\n", file.c_str(),
                         config.log.file.c_str(), e.what());
            return nullptr;
        }
        logger = spdlog::default_logger();
    }
    try {
        // Contact messages and secrets live here: only the server's user may read them.
        if (const unsigned was = makePrivateDir(config.site.data_dir)) {
            logger->warn("data_dir: \"{}\" was mode {:04o}, narrowed to 0700", config.site.data_dir,
                         was);
        }
    } catch (const std::filesystem::filesystem_error& e) {
        logger->error("{}: data_dir: cannot create \"{}\": {}", file, config.site.data_dir,
                      e.code().message());
        return nullptr;
    }
    auto generation = std::make_shared<Generation>(std::move(config), services);
    auto problems = generation->prepare();
    if (!problems.empty()) {
        if (first) {
            printProblems(problems);
        } else {
            for (const auto& p : problems) logger->error("reload: {}", p.str());
        }
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

class PorticoApp final : public Poco::Util::ServerApplication {
public:
    explicit PorticoApp(CommandLine cli) : cli_(std::move(cli)) {}

protected:
    int main(const std::vector<std::string>&) override {
        const std::string file = configPath(cli_);
        Server server;
        Services services(server);
        auto generation = buildGeneration(file, services, true);
        if (!generation) return 1;
        auto logger = spdlog::default_logger();
        const Config& config = generation->config();
        auto data_lock = DataDirLock::holdShared(config.site.data_dir);  // see `portico restore`
        server.swap(generation);
        const ServerConfig limits = connectionLimits(config.server, *logger);
        EventTransport transport(config.listen, limits, server, false, &services.metrics);
        std::unique_ptr<EventTransport> admin;
        if (config.admin.enabled && generation->pipeline().adminRouteCount() > 0) {
            admin = std::make_unique<EventTransport>(config.admin.listen, limits, server, true,
                                                     &services.metrics);
        }
        try {
            transport.start();
            if (admin) admin->start();
        } catch (const std::exception& e) {
            logger->error("{}", e.what());
            std::fprintf(stderr, "%s\n", e.what());
            transport.stop();
            server.swap(nullptr);
            generation->stop();
            return 1;
        }
        if (admin) {
            logger->info("admin listener on http://{}:{} ({} routes)", config.admin.listen.address,
                         admin->port(), generation->pipeline().adminRouteCount());
        }
        std::unique_ptr<FileWatcher> watcher;
        if (cli_.options.count("watch")) {
            auto roots = [&server] { return watchRoots(server.current()->config()); };
            logger->info("watch: reloading when any of these changes: {}",
                         fmt::join(roots(), ", "));
            watcher = std::make_unique<FileWatcher>(
                roots, std::chrono::milliseconds(300), [logger](const std::string& path) {
                    logger->info("watch: {} changed", path);
                    ::kill(::getpid(), SIGHUP);  // the same path as an operator's SIGHUP
                });
        }

        logger->info("portico listening on http://{}:{} ({} routes){}", config.listen.address,
                     transport.port(), generation->pipeline().routeCount(),
                     generation->warnings().empty() ? "" : " (degraded)");
        generation.reset();

        sigset_t signals;
        sigemptyset(&signals);
        sigaddset(&signals, SIGINT);
        sigaddset(&signals, SIGTERM);
        sigaddset(&signals, SIGHUP);
        for (;;) {
            int sig = 0;
            if (sigwait(&signals, &sig) != 0) continue;
            if (sig == SIGHUP) {
                logger->info("SIGHUP: reloading {}", file);
                auto next = buildGeneration(file, services, false);
                if (!next) {
                    logger->error("reload failed; the running configuration stays");
                    continue;
                }
                if (next->config().listen.address != server.current()->config().listen.address ||
                    next->config().listen.port != server.current()->config().listen.port) {
                    logger->warn("reload: listen address changes need a restart");
                }
                auto old = server.swap(next);
                next.reset();
                retire(std::move(old), std::chrono::milliseconds(
                                           server.current()->config().server.shutdown_timeout_ms));
                logger->info("reload complete");
                continue;
            }
            break;
        }
        watcher.reset();
        auto current = server.current();
        auto deadline = std::chrono::milliseconds(current->config().server.shutdown_timeout_ms);
        logger->info("shutting down: draining in-flight requests (up to {} ms)", deadline.count());
        server.setDraining();
        if (auto delay = current->config().server.drain_delay_ms; delay > 0) {
            // Readiness fails now; keep serving while load balancers notice, then stop accepting.
            logger->info("draining: readiness fails, accepting for {} ms more", delay);
            std::this_thread::sleep_for(std::chrono::milliseconds(delay));
        }
        transport.stopAccepting();
        bool clean = transport.drain(deadline);
        if (!clean) logger->warn("shutdown deadline passed with requests in flight");
        transport.stop();
        if (admin) admin->stop();
        current.reset();
        auto last = server.swap(nullptr);
        last->stop();
        logger->info("stopped");
        spdlog::default_logger()->flush();
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
