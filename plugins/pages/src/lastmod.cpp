#include "lastmod.hpp"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace portico::plugins::pages {

LastmodStore::LastmodStore(std::string file) : file_(std::move(file)) {
    std::ifstream in(file_);
    if (!in) return;
    try {
        auto doc = nlohmann::json::parse(in);
        for (const auto& [id, v] : doc.items()) {
            entries_[id] = {v.at("hash").get<std::string>(), v.at("date").get<std::string>()};
        }
    } catch (const std::exception&) {
        entries_.clear();
        dirty_ = true;
    }
}

std::string LastmodStore::dateFor(const std::string& id, const std::string& hash,
                                  const std::string& today) {
    auto it = entries_.find(id);
    if (it != entries_.end() && it->second.hash == hash) return it->second.date;
    entries_[id] = {hash, today};
    dirty_ = true;
    return today;
}

std::string LastmodStore::save() const {
    if (!dirty_) return "";
    nlohmann::json doc = nlohmann::json::object();
    for (const auto& [id, e] : entries_) doc[id] = {{"hash", e.hash}, {"date", e.date}};
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(file_).parent_path(), ec);
    std::string temp = file_ + ".tmp";
    {
        std::ofstream out(temp, std::ios::trunc);
        out << doc.dump(2) << "\n";
        if (!out) return "cannot write \"" + temp + "\"";
    }
    std::filesystem::rename(temp, file_, ec);
    return ec ? "cannot replace \"" + file_ + "\": " + ec.message() : "";
}

long long epochOfDate(const std::string& date) {
    // Howard Hinnant's days_from_civil.
    int y = std::stoi(date.substr(0, 4));
    unsigned m = static_cast<unsigned>(std::stoi(date.substr(5, 2)));
    unsigned d = static_cast<unsigned>(std::stoi(date.substr(8, 2)));
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (static_cast<long long>(era) * 146097 + static_cast<long long>(doe) - 719468) * 86400;
}

}  // namespace portico::plugins::pages
