#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "aggregate.hpp"
#include "bots.hpp"
#include "config.hpp"
#include "insights_store.hpp"
#include "portico/sdk/command.hpp"
#include "portico/sdk/plugin.hpp"

namespace portico::plugins::insights {

/// Counts page views on the server, without cookies or a script: the completion hook keeps
/// what a counted answer needs in memory; the scheduler turns it into hourly aggregates and
/// the day's salted visitor hashes in the store, rolls days over (hashes and salts deleted)
/// and applies the retention.
class InsightsPlugin final : public sdk::Plugin {
public:
    void configure(sdk::Context& ctx) override;
    void start(sdk::Context& ctx) override;
    void stop() noexcept override;

    /// `portico insights export` on the configured plugin, which the host has not started.
    int runCommand(sdk::CommandContext& cmd);

private:
    void record(const sdk::Request& req, const sdk::Response& res) noexcept;
    std::vector<Hit> takeQueue();
    void requeue(std::vector<Hit> hits);
    bool excluded(const std::string& path) const;
    void flush();
    std::string saltOf(const std::string& day);
    std::string today() const;

    InsightsConfig config_;
    sdk::Context* ctx_ = nullptr;  // valid from configure() until after stop()
    std::unique_ptr<BotList> bots_;
    std::unique_ptr<Aggregator> aggregator_;
    std::unique_ptr<InsightsStore> store_;

    // The queue in shards, each under its own lock, held only to append or swap; a thread
    // appends to the shard of its id, so the I/O threads do not wait for each other.
    struct alignas(64) Shard {
        std::mutex mutex;
        std::vector<Hit> hits;
    };
    static constexpr std::size_t kShards = 16;
    std::array<Shard, kShards> shards_;
    std::atomic<std::size_t> queued_count_{0};  // hits in all shards, read without a lock

    std::mutex flush_mutex_;  // one flush at a time (scheduler and stop)
    Batch pending_;           // a batch whose write failed, retried at the next flush
    std::map<std::string, std::string> salts_;  // day -> salt, the current day or two

    sdk::metrics::Counter* queued_ = nullptr;
    sdk::metrics::Counter* dropped_ = nullptr;
    sdk::metrics::Counter* views_ = nullptr;
    sdk::metrics::Counter* bots_seen_ = nullptr;
    sdk::metrics::Counter* flush_failures_ = nullptr;
};

}  // namespace portico::plugins::insights
