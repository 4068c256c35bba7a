#include "insights_store.hpp"

#include <Poco/Data/Statement.h>

#include <algorithm>
#include <tuple>

namespace portico::plugins::insights {

namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

}  // namespace

std::vector<sdk::Migration> migrations() {
    return {
        {1, "create insights tables",
         // Aggregates only: no address, user agent or visitor hash outlives its day.
         "CREATE TABLE insights_hourly (\n"
         "  hour TEXT NOT NULL,\n"
         "  dimension TEXT NOT NULL,\n"
         "  value TEXT NOT NULL,\n"
         "  views BIGINT NOT NULL,\n"
         "  PRIMARY KEY (hour, dimension, value)\n"
         ");\n"
         "CREATE TABLE insights_daily (\n"
         "  day TEXT PRIMARY KEY,\n"
         "  visitors BIGINT NOT NULL\n"
         ");\n"
         "CREATE TABLE insights_visitors (\n"
         "  day TEXT NOT NULL,\n"
         "  visitor TEXT NOT NULL,\n"
         "  PRIMARY KEY (day, visitor)\n"
         ");\n"
         "CREATE TABLE insights_salts (\n"
         "  day TEXT PRIMARY KEY,\n"
         "  salt TEXT NOT NULL\n"
         ");\n",
         ""},
        // What readers such as the console get per day, so that how visitors are counted
        // (today's from the hashes, earlier days from insights_daily) stays in this plugin.
        {2, "create view insights_days",
         "CREATE VIEW insights_days AS\n"
         "SELECT day, CAST(SUM(visitors) AS BIGINT) AS visitors,\n"
         "  CAST(SUM(views) AS BIGINT) AS views FROM (\n"
         "  SELECT day, visitors, 0 AS views FROM insights_daily\n"
         "  UNION ALL SELECT day, COUNT(*), 0 FROM insights_visitors GROUP BY day\n"
         "  UNION ALL SELECT SUBSTR(hour, 1, 10), 0, SUM(views) FROM insights_hourly\n"
         "    WHERE dimension = 'page' GROUP BY SUBSTR(hour, 1, 10)\n"
         ") AS parts GROUP BY day;\n",
         ""},
    };
}

std::string InsightsStore::saltFor(const std::string& day, const std::string& candidate) {
    Poco::Data::Session s = data_.session();
    std::string d = day;
    std::string c = candidate;
    s << data_.sql("INSERT INTO insights_salts (day, salt) VALUES (?, ?) ON CONFLICT DO NOTHING"),
        use(d), use(c), now;
    std::string salt;
    s << data_.sql("SELECT salt FROM insights_salts WHERE day = ?"), use(d), into(salt), now;
    return salt;
}

void InsightsStore::write(const Batch& batch) {
    Poco::Data::Session s = data_.session();
    s.begin();
    try {
        const std::string upsert = data_.sql(
            "INSERT INTO insights_hourly (hour, dimension, value, views) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (hour, dimension, value) DO UPDATE SET views = insights_hourly.views "
            "+ excluded.views");
        for (const auto& [key, n] : batch.counts) {
            CountKey k = key;  // Poco binds lvalues
            Poco::Int64 views = n;
            s << upsert, use(k.hour), use(k.dimension), use(k.value), use(views), now;
        }
        const std::string visitor = data_.sql(
            "INSERT INTO insights_visitors (day, visitor) VALUES (?, ?) ON CONFLICT DO NOTHING");
        for (const auto& [day, hash] : batch.visitors) {
            std::string d = day;
            std::string h = hash;
            s << visitor, use(d), use(h), now;
        }
        s.commit();
    } catch (...) {
        s.rollback();
        throw;
    }
}

std::size_t InsightsStore::rollover(const std::string& today) {
    Poco::Data::Session s = data_.session();
    std::string t = today;
    s.begin();
    try {
        // DO NOTHING: when two replicas roll over at once, the count is taken once.
        s << data_.sql(
            "INSERT INTO insights_daily (day, visitors) SELECT day, COUNT(*) FROM "
            "insights_visitors WHERE day < ? GROUP BY day ON CONFLICT (day) DO NOTHING"),
            use(t), now;
        Poco::Data::Statement hashes(s);
        hashes << data_.sql("DELETE FROM insights_visitors WHERE day < ?"), use(t);
        const std::size_t deleted = hashes.execute();
        s << data_.sql("DELETE FROM insights_salts WHERE day < ?"), use(t), now;
        s.commit();
        return deleted;
    } catch (...) {
        s.rollback();
        throw;
    }
}

std::size_t InsightsStore::deleteBefore(const std::string& day) {
    Poco::Data::Session s = data_.session();
    std::string d = day;
    std::string first_hour = day + "T00";
    Poco::Data::Statement hourly(s);
    hourly << data_.sql("DELETE FROM insights_hourly WHERE hour < ?"), use(first_hour);
    std::size_t deleted = hourly.execute();
    Poco::Data::Statement daily(s);
    daily << data_.sql("DELETE FROM insights_daily WHERE day < ?"), use(d);
    deleted += daily.execute();
    return deleted;
}

std::vector<FigureRow> InsightsStore::figures(const std::string& from, const std::string& to) {
    Poco::Data::Session s = data_.session();
    std::vector<FigureRow> rows;
    std::string first_hour = from + "T00";
    std::string last_hour = to + "T23";
    std::vector<std::string> hours, dimensions, values;
    std::vector<Poco::Int64> views;
    s << data_.sql(
        "SELECT hour, dimension, value, views FROM insights_hourly WHERE hour >= ? AND "
        "hour <= ?"),
        use(first_hour), use(last_hour), into(hours), into(dimensions), into(values), into(views),
        now;
    for (std::size_t i = 0; i < hours.size(); ++i) {
        rows.push_back({hours[i], dimensions[i], values[i], views[i]});
    }
    for (const char* query :
         {"SELECT day, visitors FROM insights_daily WHERE day >= ? AND day <= ?",
          "SELECT day, COUNT(*) FROM insights_visitors WHERE day >= ? AND day <= ? GROUP BY day"}) {
        std::string first = from;
        std::string last = to;
        std::vector<std::string> days;
        std::vector<Poco::Int64> counts;
        s << data_.sql(query), use(first), use(last), into(days), into(counts), now;
        for (std::size_t i = 0; i < days.size(); ++i) {
            rows.push_back({days[i], "visitors", "", counts[i]});
        }
    }
    std::sort(rows.begin(), rows.end(), [](const FigureRow& a, const FigureRow& b) {
        return std::tie(a.period, a.dimension, a.value) < std::tie(b.period, b.dimension, b.value);
    });
    return rows;
}

}  // namespace portico::plugins::insights
