#include "insights_plugin.hpp"

#include <Poco/Exception.h>

#include <algorithm>
#include <chrono>
#include <iterator>
#include <thread>

#include "export_command.hpp"
#include "portico/sdk/random.hpp"

namespace portico::plugins::insights {

namespace {

std::int64_t seconds(std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

sdk::metrics::Counter& hits(sdk::Context& ctx, const char* outcome) {
    return ctx.metrics().counter("portico_insights_hits_total",
                                 "Answers the insights plugin looked at after the request, by "
                                 "outcome: queued for counting, dropped (queue full)",
                                 {{"outcome", outcome}});
}

}  // namespace

void InsightsPlugin::configure(sdk::Context& ctx) {
    config_ = readConfig(ctx.config());
    ctx_ = &ctx;
    bots_ = std::make_unique<BotList>();
    Aggregator::Site site{ctx.site().hosts, ctx.site().locales};
    aggregator_ =
        std::make_unique<Aggregator>(*bots_, std::move(site), config_.max_values_per_hour);
    store_ = std::make_unique<InsightsStore>(ctx.data());
    queued_ = &hits(ctx, "queued");
    dropped_ = &hits(ctx, "dropped");
    views_ = &ctx.metrics().counter("portico_insights_pageviews_total",
                                    "Page views counted (bots left out), at the flush");
    bots_seen_ = &ctx.metrics().counter("portico_insights_bots_total",
                                        "Page answers to known bots, left out at the flush");
    flush_failures_ = &ctx.metrics().counter(
        "portico_insights_flush_failures_total",
        "Flushes whose write to the store failed (the batch is kept for the next one)");
    ctx.hooks().addCompletionHook([this](const sdk::Request& req, const sdk::Response& res,
                                         const sdk::Completion&) { record(req, res); });
    // What the privacy page says about counting, from this config (SiteModel::publishFacts).
    ctx.siteModel().publishFacts(
        "insights", {{"retention_days", config_.retention_days},
                     {"flush_seconds", config_.flush_seconds},
                     {"dimensions",
                      {"page", "locale", "referrer", "utm_source", "utm_medium", "utm_campaign",
                       "browser", "os", "device", "not_found"}},
                     {"visitor_hash", "daily salt, deleted at midnight UTC"}});
}

void InsightsPlugin::start(sdk::Context& ctx) {
    ctx.data().migrate(migrations());
    ctx.scheduler().every("insights flush", std::chrono::seconds(config_.flush_seconds),
                          [this] { flush(); });
    ctx.scheduler().every("insights retention", std::chrono::hours(1), [this] {
        const auto cutoff = ctx_->clock().now() - std::chrono::hours(24) * config_.retention_days;
        const std::size_t n = store_->deleteBefore(dayOf(seconds(cutoff)));
        if (n > 0) {
            ctx_->logger()->info("retention: deleted {} aggregate row(s) older than {} days", n,
                                 config_.retention_days);
        }
    });
    ctx.logger()->info(
        "counting page views without cookies: {} bot patterns, flush every {} s, "
        "store {}",
        bots_->size(), config_.flush_seconds, ctx.data().dialect());
}

void InsightsPlugin::stop() noexcept {
    try {
        flush();
    } catch (const std::exception& e) {
        ctx_->logger()->error("flush on stop: {}", e.what());
    } catch (...) {
        ctx_->logger()->error("flush on stop: unknown exception");
    }
}

int InsightsPlugin::runCommand(sdk::CommandContext& cmd) {
    return runExportCommand(*store_, today(), cmd);
}

std::string InsightsPlugin::today() const { return dayOf(seconds(ctx_->clock().now())); }

bool InsightsPlugin::excluded(const std::string& path) const {
    for (const auto& prefix : config_.exclude_paths) {
        if (path.compare(0, prefix.size(), prefix) == 0) return true;
    }
    return false;
}

void InsightsPlugin::record(const sdk::Request& req, const sdk::Response& res) noexcept {
    if (!isPageAnswer(req, res) || excluded(req.path)) return;
    // No browser sends no User-Agent; load generators and scripts often do: not even queued.
    const std::string* agent = req.headers.find("User-Agent");
    if (agent == nullptr || agent->empty()) return;
    if (queued_count_.load(std::memory_order_relaxed) >= config_.max_queue) {
        dropped_->inc();  // a full queue costs no copy
        return;
    }
    try {
        Hit hit;
        hit.at = seconds(ctx_->clock().now());
        hit.found = res.status != 404;
        hit.path = req.path;
        hit.query = req.query;
        if (const std::string* referer = req.headers.find("Referer")) hit.referrer = *referer;
        hit.user_agent = *agent;
        hit.client = req.client_address;
        hit.host = req.host;
        Shard& shard = shards_[std::hash<std::thread::id>{}(std::this_thread::get_id()) % kShards];
        std::lock_guard<std::mutex> lock(shard.mutex);
        shard.hits.push_back(std::move(hit));
        queued_count_.fetch_add(1, std::memory_order_relaxed);
        queued_->inc();
    } catch (...) {
        dropped_->inc();  // bad_alloc: the visit is not counted, the answer is unharmed
    }
}

std::vector<Hit> InsightsPlugin::takeQueue() {
    std::vector<Hit> all;
    for (Shard& shard : shards_) {
        std::vector<Hit> taken;
        {
            std::lock_guard<std::mutex> lock(shard.mutex);
            taken.swap(shard.hits);
            // About as many views will come before the next flush: no growth on the request
            // path.
            shard.hits.reserve(taken.size());
        }
        queued_count_.fetch_sub(taken.size(), std::memory_order_relaxed);
        all.insert(all.end(), std::make_move_iterator(taken.begin()),
                   std::make_move_iterator(taken.end()));
    }
    // In time order, as the shards interleave them (the per-hour value limit follows the hours).
    std::stable_sort(all.begin(), all.end(),
                     [](const Hit& a, const Hit& b) { return a.at < b.at; });
    return all;
}

void InsightsPlugin::requeue(std::vector<Hit> hits) {
    Shard& shard = shards_.front();
    std::lock_guard<std::mutex> lock(shard.mutex);
    queued_count_.fetch_add(hits.size(), std::memory_order_relaxed);
    shard.hits.insert(shard.hits.end(), std::make_move_iterator(hits.begin()),
                      std::make_move_iterator(hits.end()));
}

std::string InsightsPlugin::saltOf(const std::string& day) {
    auto it = salts_.find(day);
    if (it != salts_.end()) return it->second;
    std::string salt = store_->saltFor(day, sdk::randomHex(32));
    // Only days that can still get hits stay in memory: a past day's salt is forgotten.
    while (!salts_.empty() && salts_.begin()->first < day) salts_.erase(salts_.begin());
    salts_[day] = salt;
    return salt;
}

void InsightsPlugin::flush() {
    std::lock_guard<std::mutex> lock(flush_mutex_);
    std::vector<Hit> hits = takeQueue();
    Batch fresh;
    try {
        fresh =
            aggregator_->aggregate(hits, [this](const std::string& day) { return saltOf(day); });
    } catch (const Poco::Exception& e) {
        // No salt without the store: the hits wait for the next flush.
        requeue(std::move(hits));
        flush_failures_->inc();
        ctx_->logger()->warn("flush: the store failed, page views kept for the next flush: {}",
                             e.displayText());
        return;
    }
    views_->inc(static_cast<std::uint64_t>(fresh.views));
    bots_seen_->inc(static_cast<std::uint64_t>(fresh.bots));
    pending_.merge(fresh);
    try {
        if (!pending_.empty()) store_->write(pending_);
        pending_ = Batch{};
        const std::string now_day = today();
        store_->rollover(now_day);
        while (!salts_.empty() && salts_.begin()->first < now_day) salts_.erase(salts_.begin());
    } catch (const Poco::Exception& e) {
        flush_failures_->inc();
        ctx_->logger()->warn("flush: the store failed, {} counter(s) kept for the next flush: {}",
                             pending_.counts.size(), e.displayText());
    }
}

}  // namespace portico::plugins::insights
