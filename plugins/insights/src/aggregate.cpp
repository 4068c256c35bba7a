#include "aggregate.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <ctime>

namespace portico::plugins::insights {

namespace {

std::string formatUtc(std::int64_t seconds, const char* format) {
    const auto t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    const std::size_t n = std::strftime(buf, sizeof buf, format, &tm);
    return std::string(buf, n);
}

}  // namespace

void Batch::merge(const Batch& other) {
    for (const auto& [key, n] : other.counts) counts[key] += n;
    visitors.insert(other.visitors.begin(), other.visitors.end());
    views += other.views;
    bots += other.bots;
}

std::string hourOf(std::int64_t seconds) { return formatUtc(seconds, "%Y-%m-%dT%H"); }
std::string dayOf(std::int64_t seconds) { return formatUtc(seconds, "%Y-%m-%d"); }

std::string visitorHash(const std::string& salt, const std::string& host, const std::string& client,
                        const std::string& user_agent) {
    Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
    // Lengths first, so that no two different tuples hash the same bytes.
    for (const std::string* part : {&salt, &host, &client, &user_agent}) {
        sha.update(std::to_string(part->size()) + ":");
        sha.update(*part);
    }
    return Poco::DigestEngine::digestToHex(sha.digest()).substr(0, 32);
}

Aggregator::Aggregator(const BotList& bots, Site site, std::uint32_t max_values_per_hour)
    : bots_(bots), site_(std::move(site)), max_values_(max_values_per_hour) {}

void Aggregator::count(Batch& batch, const std::string& hour, const std::string& dimension,
                       const std::string& value) {
    if (hour != hour_) {
        hour_ = hour;
        seen_.clear();
    }
    auto& seen = seen_[dimension];
    std::string kept = value;
    if (seen.count(value) == 0) {
        if (seen.size() < max_values_) {
            seen.insert(value);
        } else {
            kept = "(other)";
        }
    }
    ++batch.counts[CountKey{hour, dimension, kept}];
}

Batch Aggregator::aggregate(const std::vector<Hit>& hits,
                            const std::function<std::string(const std::string& day)>& salt) {
    Batch batch;
    for (const Hit& hit : hits) {
        if (bots_.matches(hit.user_agent)) {
            ++batch.bots;
            continue;
        }
        const std::string hour = hourOf(hit.at);
        const std::string path = cleanValue(hit.path, 300);
        if (!hit.found) {
            count(batch, hour, "not_found", path);
            continue;
        }
        ++batch.views;
        const std::string day = dayOf(hit.at);
        batch.visitors.emplace(day, visitorHash(salt(day), hit.host, hit.client, hit.user_agent));
        count(batch, hour, "page", path);
        count(batch, hour, "locale", localeOf(hit.path, site_.locales));
        count(batch, hour, "referrer", referrerDomain(hit.referrer, site_.hosts));
        sdk::Request query_only;
        query_only.query = hit.query;
        for (const char* field : {"utm_source", "utm_medium", "utm_campaign"}) {
            const auto value = query_only.queryParam(field);
            const std::string cleaned = value ? cleanValue(*value) : "";
            if (!cleaned.empty()) count(batch, hour, field, cleaned);
        }
        const Agent agent = classifyAgent(hit.user_agent);
        count(batch, hour, "browser", agent.browser);
        count(batch, hour, "os", agent.os);
        count(batch, hour, "device", agent.device);
    }
    return batch;
}

}  // namespace portico::plugins::insights
