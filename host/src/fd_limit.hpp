#pragma once

#include <cstdint>

namespace portico::host {

/// The process's open-file limit before and after `raiseFdLimit()`.
struct FdLimit {
    std::uint64_t before = 0;  ///< soft limit found at start-up
    std::uint64_t after = 0;   ///< soft limit now (the hard limit when raising worked)
};

/// Raises the soft RLIMIT_NOFILE to the hard limit, as nginx's worker_rlimit_nofile and
/// systemd services expect a server to do; every connection costs one descriptor. Never throws;
/// a refusal leaves the limit as it was.
FdLimit raiseFdLimit() noexcept;

/// Descriptors kept back from connections for the store, log files, plugins, listeners and the
/// loops' own epoll and eventfd descriptors.
constexpr std::uint64_t kFdReserve = 128;

/// `server.max_connections` when the config leaves it at 0 (auto): the open-file limit less
/// kFdReserve, at least 64 and at most 1,000,000.
std::uint32_t autoMaxConnections(std::uint64_t open_file_limit) noexcept;

}  // namespace portico::host
