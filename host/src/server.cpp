#include "server.hpp"

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
    exchange.generation.reset();
}

RouteTraits Server::routeTraits(const sdk::Request& request, bool admin) const noexcept {
    return current()->pipeline().routeTraits(request, admin);
}

std::shared_ptr<Generation> Server::swap(std::shared_ptr<Generation> next) {
    return std::atomic_exchange(&current_, std::move(next));
}

}  // namespace portico::host
