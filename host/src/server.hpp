#pragma once

#include <atomic>
#include <memory>
#include <mutex>

#include "generation.hpp"
#include "transport.hpp"

namespace portico::host {

/// Routes every exchange to the current config generation, which reload swaps atomically, and
/// tells plugins how the host is doing.
class Server final : public ExchangeHandler, public sdk::HostStatus {
public:
    Server();

    void handle(Exchange& exchange) noexcept override;
    void complete(Exchange& exchange) noexcept override;
    RouteTraits routeTraits(const sdk::Request& request, bool admin) const noexcept override;
    bool draining() const noexcept override { return draining_.load(); }

    void setDraining() noexcept { draining_ = true; }
    /// Installs `next`; returns the previous generation for the caller to retire.
    std::shared_ptr<Generation> swap(std::shared_ptr<Generation> next);
    std::shared_ptr<Generation> current() const { return std::atomic_load(&current_); }

    // sdk::HostStatus
    bool started() const noexcept override;
    std::vector<std::string> degraded() const override;
    std::vector<sdk::PluginStatus> plugins() const override;
    std::vector<std::pair<std::string, sdk::CheckResult>> runHealthChecks() const override;
    std::chrono::system_clock::time_point startTime() const noexcept override { return start_; }
    std::string version() const override;
    std::uint64_t generation() const noexcept override;
    std::vector<sdk::LibraryStatus> libraries() const override;

private:
    std::shared_ptr<Generation> current_;
    std::atomic<bool> draining_{false};
    std::chrono::system_clock::time_point start_ = std::chrono::system_clock::now();
};

}  // namespace portico::host
