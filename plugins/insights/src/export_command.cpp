#include "export_command.hpp"

#include <Poco/Exception.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "portico/sdk/csv.hpp"
#include "portico/sdk/http.hpp"

namespace portico::plugins::insights {

const char* const kCommandUsage =
    "usage: portico insights export [--from DAY] [--to DAY] [--format csv|json] [--out FILE]\n"
    "                               [--config FILE]\n\n"
    "Writes the counted figures of the days FROM..TO (UTC, YYYY-MM-DD; default: every day up\n"
    "to today): one row per hour, dimension and value (page, locale, referrer, utm_source,\n"
    "utm_medium, utm_campaign, browser, os, device, not_found) with its page views, and one\n"
    "row per day with its unique visitors (dimension \"visitors\"). CSV cells starting with\n"
    "= + - @ get a leading '.\n\n"
    "options:\n"
    "  --from DAY      first day (default 0000-01-01)\n"
    "  --to DAY        last day (default today)\n"
    "  --format F      csv (default) or json\n"
    "  --out FILE      write to FILE instead of stdout\n";

namespace {

bool isDay(const std::string& text) {
    static const std::regex kDay("[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])");
    return std::regex_match(text, kDay);
}

}  // namespace

std::string renderCsv(const std::vector<FigureRow>& rows) {
    std::string text = sdk::csvRow({"period", "dimension", "value", "count"});
    for (const auto& r : rows) {
        text += sdk::csvRow({r.period, r.dimension, r.value, std::to_string(r.count)});
    }
    return text;
}

std::string renderJson(const std::vector<FigureRow>& rows) {
    nlohmann::json all = nlohmann::json::array();
    for (const auto& r : rows) {
        all.push_back({{"period", r.period},
                       {"dimension", r.dimension},
                       {"value", r.value},
                       {"count", r.count}});
    }
    return all.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

int runExportCommand(InsightsStore& store, const std::string& today, sdk::CommandContext& cmd) {
    const std::string sub = cmd.words().empty() ? "" : cmd.words().front();
    if (sub != "export") {
        cmd.err() << "insights: expected 'export', got \"" << sdk::escapeControls(sub) << "\"\n"
                  << kCommandUsage;
        return 2;
    }
    const std::string from = cmd.option("from", "0000-01-01");
    const std::string to = cmd.option("to", today);
    const std::string format = cmd.option("format", "csv");
    for (const auto& [name, value] : {std::pair{"from", from}, std::pair{"to", to}}) {
        if (!isDay(value)) {
            cmd.err() << "insights: --" << name << ": must be a day as YYYY-MM-DD, got \""
                      << sdk::escapeControls(value) << "\"\n";
            return 2;
        }
    }
    if (from > to) {
        cmd.err() << "insights: --from " << from << " is after --to " << to << "\n";
        return 2;
    }
    if (format != "csv" && format != "json") {
        cmd.err() << "insights: --format: must be \"csv\" or \"json\", got \""
                  << sdk::escapeControls(format) << "\"\n";
        return 2;
    }
    std::vector<FigureRow> rows;
    try {
        rows = store.figures(from, to);
    } catch (const Poco::Exception& e) {
        cmd.err() << "insights: cannot read the store: " << sdk::escapeControls(e.displayText())
                  << "\n";
        return 1;
    }
    const std::string text = format == "csv" ? renderCsv(rows) : renderJson(rows);
    if (!cmd.has("out")) {
        cmd.out() << text;
        return 0;
    }
    const std::string path = cmd.option("out");
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) {
        cmd.err() << "insights: cannot write \"" << sdk::escapeControls(path) << "\"\n";
        return 1;
    }
    cmd.err() << "insights: wrote " << rows.size() << " rows to " << sdk::escapeControls(path)
              << "\n";
    return 0;
}

}  // namespace portico::plugins::insights
