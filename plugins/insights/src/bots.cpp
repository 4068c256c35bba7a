#include "bots.hpp"

#include <Poco/Exception.h>
#include <Poco/RegularExpression.h>

#include <sstream>
#include <stdexcept>

namespace portico::plugins::insights {

namespace {

constexpr int kOptions = Poco::RegularExpression::RE_CASELESS;

}  // namespace

BotList::BotList(std::string_view patterns) {
    std::istringstream lines{std::string(patterns)};
    std::string line;
    std::string joined;
    int number = 0;
    while (std::getline(lines, line)) {
        ++number;
        if (line.empty() || line.front() == '#') continue;
        try {
            Poco::RegularExpression one(line, kOptions);  // names the culprit, if any
        } catch (const Poco::RegularExpressionException& e) {
            throw std::runtime_error("bot pattern on line " + std::to_string(number) + " (\"" +
                                     line + "\"): " + e.message());
        }
        joined += (joined.empty() ? "(?:" : "|(?:") + line + ")";
        ++size_;
    }
    if (joined.empty()) joined = "(?!)";  // matches nothing
    expression_ = std::make_unique<Poco::RegularExpression>(joined, kOptions, true);
}

BotList::~BotList() = default;

bool BotList::matches(std::string_view user_agent) const {
    if (user_agent.empty()) return true;
    try {
        // The overload with a Match searches; match(subject) alone wants the whole subject.
        Poco::RegularExpression::Match found;
        return expression_->match(std::string(user_agent), 0, found) > 0;
    } catch (const Poco::RegularExpressionException&) {
        return true;  // the matcher gave up (its limits): no browser sends such a user agent
    }
}

}  // namespace portico::plugins::insights
