#pragma once

#include <spdlog/logger.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config.hpp"
#include "store.hpp"

namespace Poco::Redis {
class Client;
}

namespace portico::plugins::ratelimit {

/// GCRA state in Redis, shared by every process that uses the same server and key prefix. One
/// Lua script (kScript, sent with EVALSHA, EVAL when the server lacks it) reads the server's
/// clock, so replicas need no synchronized clocks; keys expire by themselves when their state
/// has recovered. A small pool of connections; after a failure (refused, timeout, protocol)
/// Redis is skipped for one second, so a dead server does not add its timeout to every request.
/// Failures log a warning (the first, then at most one every 10 s) and recovery an info line.
/// Thread-safe.
class RedisStore final : public Store {
public:
    /// The GCRA of gcra.cpp in microseconds. KEYS[1]: the key; ARGV[1]: the emission interval;
    /// ARGV[2]: the tolerance; ARGV[3] (tests only): the time instead of the server's clock.
    /// Returns {allowed 0|1, remaining, retry after, reset}.
    static const char* const kScript;

    /// `fallback` names what happens while Redis is unavailable, for the warning.
    RedisStore(RedisConfig config, std::shared_ptr<spdlog::logger> logger, std::string fallback);
    ~RedisStore() override;
    RedisStore(const RedisStore&) = delete;
    RedisStore& operator=(const RedisStore&) = delete;

    /// Ignores `now_ns`: the server's clock decides.
    std::optional<Decision> check(const std::string& key, const Rate& rate,
                                  std::int64_t now_ns) override;
    /// As check(), at `now_us` instead of the server's clock (for tests).
    std::optional<Decision> checkAt(const std::string& key, const Rate& rate, std::int64_t now_us);
    /// Empty when Redis answers PING, else why it does not (without trying while backing off).
    std::string ping();

private:
    struct Slot;
    using Call = std::function<void(Poco::Redis::Client&)>;
    bool run(const Call& call);
    std::optional<Decision> evaluate(const std::string& key, const Rate& rate,
                                     std::optional<std::int64_t> now_us);
    void connect(Slot& slot) const;
    void failed(const std::string& why);
    void succeeded();

    RedisConfig config_;
    std::shared_ptr<spdlog::logger> logger_;
    std::string fallback_;
    std::string sha_;  // of kScript
    std::vector<std::unique_ptr<Slot>> slots_;
    std::atomic<std::size_t> next_{0};
    std::atomic<std::int64_t> skip_until_{0};  // steady ns; after a failure
    std::atomic<bool> down_{false};
    std::atomic<std::uint64_t> generation_{0};  // bumped by every failure
    std::mutex state_mutex_;                    // guards the fields below
    std::string last_error_;
    std::int64_t next_warning_ = 0;  // steady ns
    std::uint64_t failures_ = 0;     // since the last warning
};

}  // namespace portico::plugins::ratelimit
