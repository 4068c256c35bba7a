#pragma once

#include <atomic>
#include <memory>
#include <mutex>

#include "generation.hpp"
#include "transport.hpp"

namespace portico::host {

/// Routes every exchange to the current config generation, which reload swaps atomically.
class Server final : public ExchangeHandler {
public:
    explicit Server(std::shared_ptr<Generation> first);

    void handle(Exchange& exchange) noexcept override;
    void complete(Exchange& exchange) noexcept override;
    std::uint64_t maxBodyBytes() const noexcept override;
    bool draining() const noexcept override { return draining_.load(); }

    void setDraining() noexcept { draining_ = true; }
    /// Installs `next`; returns the previous generation for the caller to retire.
    std::shared_ptr<Generation> swap(std::shared_ptr<Generation> next);
    std::shared_ptr<Generation> current() const { return std::atomic_load(&current_); }

private:
    std::shared_ptr<Generation> current_;
    std::atomic<bool> draining_{false};
};

}  // namespace portico::host
