// Arbitrary visitor bytes (User-Agent, Referer, query string, path, separated by NUL bytes)
// through the insights plugin's classification and aggregation: the bot expression, the agent
// families, the referrer domain, the UTM values. Whatever comes in, every value that would be
// stored is short, valid UTF-8 without control characters, and the visitor id is 32 hex digits.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "aggregate.hpp"
#include "bots.hpp"
#include "classify.hpp"

namespace {

using namespace portico::plugins::insights;

bool storable(const std::string& value) {
    if (value.size() > 300) return false;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const auto c = static_cast<unsigned char>(value[i]);
        if (c < 0x20 || c == 0x7F) return false;
        if (c == 0xC2 && i + 1 < value.size() &&
            static_cast<unsigned char>(value[i + 1]) < 0xA0) {
            return false;  // a C1 control
        }
    }
    return cleanValue(value, 300) == value || value == "(other)";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const BotList bots;
    std::vector<std::string> fields(4);
    std::size_t field = 0;
    for (std::size_t i = 0; i < size; ++i) {
        if (data[i] == 0 && field < 3) {
            ++field;
        } else {
            fields[field] += static_cast<char>(data[i]);
        }
    }
    Hit hit;
    hit.at = 1796306700;
    hit.user_agent = fields[0];
    hit.referrer = fields[1];
    hit.query = fields[2];
    hit.path = "/" + fields[3];
    hit.client = "203.0.113.7";
    hit.host = "example.com";
    bots.matches(hit.user_agent);
    Aggregator aggregator(bots, {{"example.com"}, {"de", "en"}}, 10);
    const Batch batch = aggregator.aggregate({hit, hit}, [](const std::string&) { return "s"; });
    for (const auto& [key, n] : batch.counts) {
        if (!storable(key.value) || n <= 0) __builtin_trap();
    }
    for (const auto& [day, hash] : batch.visitors) {
        if (hash.size() != 32 || hash.find_first_not_of("0123456789abcdef") != std::string::npos) {
            __builtin_trap();
        }
    }
    const std::string domain = referrerDomain(fields[1], {"example.com"});
    if (domain.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-.") != std::string::npos) {
        __builtin_trap();
    }
    return 0;
}
