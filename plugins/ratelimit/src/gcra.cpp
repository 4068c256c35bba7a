#include "gcra.hpp"

#include <algorithm>

namespace portico::plugins::ratelimit {

Decision gcra(const Rate& rate, std::int64_t& tat, std::int64_t now_ns) noexcept {
    const std::int64_t t = rate.interval();
    const std::int64_t tau = rate.tolerance();
    const std::int64_t new_tat = std::max(tat, now_ns) + t;
    Decision d;
    if (new_tat - now_ns > tau) {
        d.retry_after_ns = new_tat - now_ns - tau;
        d.reset_ns = std::max<std::int64_t>(tat - now_ns, 0);
        return d;
    }
    tat = new_tat;
    d.allowed = true;
    d.remaining = (tau - (new_tat - now_ns)) / t;
    d.reset_ns = new_tat - now_ns;
    return d;
}

}  // namespace portico::plugins::ratelimit
