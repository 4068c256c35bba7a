#include "traffic.hpp"

#include <Poco/Data/Statement.h>

#include <ctime>
#include <map>

namespace portico::plugins::console {

namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

Ranked top(sdk::DataStore& store, Poco::Data::Session& s, std::string dimension,
           std::string from_hour) {
    std::vector<std::string> values;
    std::vector<Poco::Int64> views;
    s << store.sql(
        "SELECT value, CAST(SUM(views) AS BIGINT) AS n FROM insights_hourly "
        "WHERE dimension = ? AND hour >= ? GROUP BY value ORDER BY n DESC, value "
        "LIMIT 10"),
        use(dimension), use(from_hour), into(values), into(views), now;
    Ranked out;
    for (std::size_t i = 0; i < values.size(); ++i) out.emplace_back(values[i], views[i]);
    return out;
}

}  // namespace

std::string addDays(const std::string& day, int delta) {
    std::tm tm{};
    if (day.size() != 10) return day;
    tm.tm_year = std::stoi(day.substr(0, 4)) - 1900;
    tm.tm_mon = std::stoi(day.substr(5, 2)) - 1;
    tm.tm_mday = std::stoi(day.substr(8, 2)) + delta;
    tm.tm_hour = 12;
    const std::time_t t = timegm(&tm);
    std::tm out{};
    gmtime_r(&t, &out);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &out);
    return buf;
}

Traffic readTraffic(sdk::DataStore& store, const std::string& today, int days) {
    const std::string from = addDays(today, -(days - 1));
    auto s = store.session();
    std::vector<std::string> names;
    std::vector<Poco::Int64> visitors, views;
    std::string since = from;
    s << store.sql("SELECT day, visitors, views FROM insights_days WHERE day >= ? ORDER BY day"),
        use(since), into(names), into(visitors), into(views), now;
    std::map<std::string, Day> by_day;
    for (std::size_t i = 0; i < names.size(); ++i) {
        by_day[names[i]] = Day{names[i], visitors[i], views[i]};
    }
    Traffic t;
    for (int i = 0; i < days; ++i) {
        const std::string d = addDays(from, i);
        auto it = by_day.find(d);
        t.days.push_back(it == by_day.end() ? Day{d, 0, 0} : it->second);
    }
    const std::string from_hour = from + "T00";
    t.pages = top(store, s, "page", from_hour);
    t.referrers = top(store, s, "referrer", from_hour);
    t.campaigns = top(store, s, "utm_campaign", from_hour);
    t.locales = top(store, s, "locale", from_hour);
    t.devices = top(store, s, "device", from_hour);
    t.not_found = top(store, s, "not_found", from_hour);
    return t;
}

}  // namespace portico::plugins::console
