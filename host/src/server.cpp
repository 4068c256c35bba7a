#include "server.hpp"

#include <algorithm>

#include "logging.hpp"

namespace portico::host {

#ifndef PORTICO_VERSION
#define PORTICO_VERSION "0.0.0"
#endif

Server::Server() = default;

bool Server::started() const noexcept {
    auto generation = current();
    return generation && generation->started();
}

std::vector<std::string> Server::degraded() const {
    auto generation = current();
    return generation ? generation->warnings() : std::vector<std::string>{};
}

std::vector<sdk::PluginStatus> Server::plugins() const {
    auto generation = current();
    return generation ? generation->pluginStatus() : std::vector<sdk::PluginStatus>{};
}

std::vector<std::pair<std::string, sdk::CheckResult>> Server::runHealthChecks() const {
    auto generation = current();
    return generation ? generation->runHealthChecks()
                      : std::vector<std::pair<std::string, sdk::CheckResult>>{};
}

std::string Server::version() const { return PORTICO_VERSION; }

std::uint64_t Server::generation() const noexcept {
    auto generation = current();
    return generation ? generation->number() : 0;
}

std::vector<sdk::LibraryStatus> Server::libraries() const {
    // Taken first: the serving libraries stay alive, so a listed address that equals one of
    // them is that library.
    auto generation = current();
    const auto serving =
        generation ? generation->libraries() : std::vector<const sdk::PluginLibrary*>{};
    std::vector<sdk::LibraryStatus> out;
    for (const auto& [library, info] : sdk::PluginLibrary::loaded()) {
        sdk::LibraryStatus status;
        status.id = info.id;
        status.version = info.version;
        status.path = info.path;
        status.generation = info.generation;
        status.loaded_at = info.loaded_at;
        if (library == nullptr) {
            status.state = "pinned";
        } else if (std::find(serving.begin(), serving.end(), library) != serving.end()) {
            status.state = "serving";
        } else {
            status.state = "retiring";
        }
        out.push_back(std::move(status));
    }
    return out;
}

void Server::handle(Exchange& exchange) noexcept {
    auto generation = current();
    exchange.generation = generation;
    generation->pipeline().handle(exchange);
}

void Server::complete(Exchange& exchange) noexcept {
    auto* generation = static_cast<const Generation*>(exchange.generation.get());
    if (generation) generation->pipeline().complete(exchange);
    try {
        if (auto access = accessLogger()) {
            const auto& req = exchange.request;
            double ms =
                std::chrono::duration<double, std::milli>(exchange.completion.duration).count();
            logAccess(*access, req.method, req.host, req.path, exchange.response.status,
                      exchange.completion.bytes_sent, ms, req.client_address, req.request_id);
        }
    } catch (...) {
        // Logging must never fail a request.
    }
    // The transport releases the generation after the response: what a plugin put into the
    // response must go before the plugin's code can be unloaded.
}

RouteTraits Server::routeTraits(const sdk::Request& request, bool admin) const noexcept {
    return current()->pipeline().routeTraits(request, admin);
}

std::shared_ptr<Generation> Server::swap(std::shared_ptr<Generation> next) {
    return std::atomic_exchange(&current_, std::move(next));
}

}  // namespace portico::host
