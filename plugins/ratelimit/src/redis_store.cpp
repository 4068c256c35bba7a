#include "redis_store.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Redis/Array.h>
#include <Poco/Redis/Client.h>
#include <Poco/Redis/Exception.h>
#include <Poco/SHA1Engine.h>

namespace portico::plugins::ratelimit {
namespace {

constexpr std::int64_t kSkipNs = 1'000'000'000;        // after a failure, Redis is not asked
constexpr std::int64_t kWarnEveryNs = 10'000'000'000;  // at most one warning per 10 s

std::int64_t steadyNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

}  // namespace

// Lua numbers are doubles: microseconds since the epoch (about 2^51) stay exact, nanoseconds
// would not. string.format('%d') keeps all digits where tostring() would round to 14.
const char* const RedisStore::kScript = R"lua(
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local now
if ARGV[3] then
  now = tonumber(ARGV[3])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local tat = tonumber(redis.call('GET', KEYS[1])) or 0
local new_tat = math.max(tat, now) + interval
if new_tat - now > tolerance then
  return {0, 0, new_tat - now - tolerance, math.max(tat - now, 0)}
end
redis.call('SET', KEYS[1], string.format('%d', new_tat), 'PX',
           math.ceil((new_tat - now) / 1000))
return {1, math.floor((tolerance - (new_tat - now)) / interval), 0, new_tat - now}
)lua";

struct RedisStore::Slot {
    std::mutex mutex;
    std::unique_ptr<Poco::Redis::Client> client;
    std::uint64_t generation = 0;  // of the connection
};

RedisStore::RedisStore(RedisConfig config, std::shared_ptr<spdlog::logger> logger,
                       std::string fallback)
    : config_(std::move(config)), logger_(std::move(logger)), fallback_(std::move(fallback)) {
    Poco::SHA1Engine sha1;
    sha1.update(kScript);
    sha_ = Poco::DigestEngine::digestToHex(sha1.digest());
    for (std::size_t i = 0; i < std::max<std::size_t>(1, config_.pool_size); ++i) {
        slots_.push_back(std::make_unique<Slot>());
    }
}

RedisStore::~RedisStore() = default;

std::optional<Decision> RedisStore::check(const std::string& key, const Rate& rate,
                                          std::int64_t /*now_ns*/) {
    return evaluate(key, rate, std::nullopt);
}

std::optional<Decision> RedisStore::checkAt(const std::string& key, const Rate& rate,
                                            std::int64_t now_us) {
    return evaluate(key, rate, now_us);
}

std::optional<Decision> RedisStore::evaluate(const std::string& key, const Rate& rate,
                                             std::optional<std::int64_t> now_us) {
    const std::int64_t interval_us = std::max<std::int64_t>(1, rate.interval() / 1000);
    std::vector<std::string> args{"1", config_.key_prefix + key, std::to_string(interval_us),
                                  std::to_string(interval_us * rate.burst)};
    if (now_us) args.push_back(std::to_string(*now_us));
    Poco::Redis::Array reply;
    const bool ok = run([&](Poco::Redis::Client& client) {
        Poco::Redis::Array evalsha;
        evalsha << "EVALSHA" << sha_ << args;
        Poco::Redis::Array eval;
        eval << "EVAL" << kScript << args;
        try {
            reply = client.execute<Poco::Redis::Array>(evalsha);
        } catch (const Poco::Redis::RedisException& e) {
            // A restarted or flushed server has lost the script; EVAL caches it again.
            if (e.message().rfind("NOSCRIPT", 0) != 0) throw;
            reply = client.execute<Poco::Redis::Array>(eval);
        }
        if (reply.size() != 4) throw Poco::Redis::RedisException("unexpected script reply");
    });
    if (!ok) return std::nullopt;
    Decision d;
    d.allowed = reply.get<Poco::Int64>(0) == 1;
    d.remaining = reply.get<Poco::Int64>(1);
    d.retry_after_ns = reply.get<Poco::Int64>(2) * 1000;
    d.reset_ns = reply.get<Poco::Int64>(3) * 1000;
    return d;
}

std::string RedisStore::ping() {
    const bool ok = run([](Poco::Redis::Client& client) {
        Poco::Redis::Array cmd;
        cmd << "PING";
        client.execute<std::string>(cmd);
    });
    if (ok) return {};
    std::lock_guard lock(state_mutex_);
    return last_error_;
}

bool RedisStore::run(const Call& call) {
    if (steadyNs() < skip_until_.load(std::memory_order_relaxed)) {
        std::lock_guard lock(state_mutex_);
        ++failures_;
        return false;
    }
    Slot& slot = *slots_[next_.fetch_add(1, std::memory_order_relaxed) % slots_.size()];
    std::unique_lock lock(slot.mutex);
    std::string why;
    try {
        // After any failure every pooled connection is suspect (a restarted server closed
        // them all): reconnect instead of failing once more per connection.
        const auto generation = generation_.load(std::memory_order_relaxed);
        if (!slot.client || slot.generation != generation) {
            slot.client.reset();
            connect(slot);
            slot.generation = generation;
        }
        call(*slot.client);
        lock.unlock();
        succeeded();
        return true;
    } catch (const Poco::Exception& e) {
        why = e.displayText();
    } catch (const std::exception& e) {
        why = e.what();
    }
    slot.client.reset();  // reconnect on the next use
    lock.unlock();
    failed(why);
    return false;
}

void RedisStore::connect(Slot& slot) const {
    const Poco::Timespan timeout(static_cast<Poco::Timespan::TimeDiff>(config_.timeout_ms) * 1000);
    auto client = std::make_unique<Poco::Redis::Client>();
    client->connect(
        Poco::Net::SocketAddress(config_.url.host, static_cast<Poco::UInt16>(config_.url.port)),
        timeout);
    client->setReceiveTimeout(timeout);
    if (!config_.url.password.empty()) {
        Poco::Redis::Array auth;
        auth << "AUTH";
        if (!config_.url.user.empty()) auth << config_.url.user;
        auth << config_.url.password;
        client->execute<std::string>(auth);
    }
    if (config_.url.db != 0) {
        Poco::Redis::Array select;
        select << "SELECT" << std::to_string(config_.url.db);
        client->execute<std::string>(select);
    }
    slot.client = std::move(client);
}

void RedisStore::failed(const std::string& why) {
    const std::int64_t now = steadyNs();
    skip_until_.store(now + kSkipNs, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_relaxed);
    down_.store(true, std::memory_order_relaxed);
    std::lock_guard lock(state_mutex_);
    last_error_ = why;
    ++failures_;
    if (now < next_warning_) return;
    next_warning_ = now + kWarnEveryNs;
    logger_->warn("redis {}:{} unavailable ({} failed checks since the last warning): {}; {}",
                  config_.url.host, config_.url.port, failures_, why, fallback_);
    failures_ = 0;
}

void RedisStore::succeeded() {
    if (!down_.exchange(false, std::memory_order_relaxed)) return;
    std::lock_guard lock(state_mutex_);
    logger_->info("redis {}:{} reachable again", config_.url.host, config_.url.port);
    next_warning_ = 0;  // the next outage warns at once
    failures_ = 0;
}

}  // namespace portico::plugins::ratelimit
