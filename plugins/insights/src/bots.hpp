#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace Poco {
class RegularExpression;
}

namespace portico::plugins::insights {

/// The shipped bot patterns (data/bots.txt, compiled in).
extern const char* const kBotPatterns;

/// Tells crawlers, monitors and tools from browsers by their User-Agent: one case-insensitive
/// regular expression built from a pattern list (one pattern per line, '#' lines are comments).
/// Build once; `matches` is thread-safe.
class BotList {
public:
    /// Throws std::runtime_error naming the pattern that does not compile.
    explicit BotList(std::string_view patterns = kBotPatterns);
    ~BotList();
    BotList(const BotList&) = delete;
    BotList& operator=(const BotList&) = delete;

    /// True for a known bot, and for an empty user agent (no browser sends none).
    bool matches(std::string_view user_agent) const;
    std::size_t size() const noexcept { return size_; }

private:
    std::unique_ptr<Poco::RegularExpression> expression_;
    std::size_t size_ = 0;
};

}  // namespace portico::plugins::insights
