#include "fd_limit.hpp"

#include <sys/resource.h>

#include <algorithm>

namespace portico::host {

FdLimit raiseFdLimit() noexcept {
    FdLimit out;
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return out;
    out.before = out.after = limit.rlim_cur;
    if (limit.rlim_cur >= limit.rlim_max) return out;
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) out.after = raised.rlim_cur;
    return out;
}

std::uint32_t autoMaxConnections(std::uint64_t open_file_limit) noexcept {
    const std::uint64_t usable = open_file_limit > kFdReserve ? open_file_limit - kFdReserve : 0;
    return static_cast<std::uint32_t>(std::clamp<std::uint64_t>(usable, 64, 1000000));
}

}  // namespace portico::host
