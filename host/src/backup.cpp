// `portico backup` and `portico restore`: consistent SQLite snapshots while serving.
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "cli.hpp"
#include "config.hpp"
#include "config_report.hpp"
#include "store/store.hpp"

namespace portico::host {

namespace {

namespace fs = std::filesystem;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;

constexpr const char* kPrefix = "portico-";
constexpr const char* kSuffix = ".db";

bool loadForData(const CommandLine& cli, const char* command, Config& config) {
    auto loaded = loadConfigOrReport(configPath(cli));
    if (!loaded) return false;
    config = std::move(*loaded);
    if (!config.database.url.empty()) {
        std::fprintf(stderr,
                     "%s: database.url names PostgreSQL; use pg_dump -Fc / pg_restore instead "
                     "(see the README)\n",
                     command);
        return false;
    }
    return true;
}

std::string sqlQuoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

std::string utcStamp() {
    const auto t = std::chrono::system_clock::now();
    const std::time_t secs = std::chrono::system_clock::to_time_t(t);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()) % 1000;
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%S", &tm);
    char full[48];
    std::snprintf(full, sizeof full, "%s%03dZ", buf, static_cast<int>(ms.count()));
    return full;
}

// "ok" when the file is an intact SQLite database with Portico's migrations table.
std::string checkSnapshot(const std::string& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) return "no such file";
    registerDataConnectors();
    try {
        Poco::Data::Session session("SQLite", path);
        std::string result;
        session << "PRAGMA integrity_check", into(result), now;
        if (result != "ok") return "integrity check failed: " + result;
        int tables = 0;
        session << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = "
                   "'portico_migrations'",
            into(tables), now;
        if (tables != 1) return "not a Portico database (no portico_migrations table)";
    } catch (const Poco::Exception& e) {
        return e.displayText();
    }
    return "ok";
}

void prune(const fs::path& dir, unsigned long keep) {
    std::vector<fs::path> snapshots;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(kPrefix, 0) == 0 && name.size() > 11 &&
            name.compare(name.size() - 3, 3, kSuffix) == 0) {
            snapshots.push_back(entry.path());
        }
    }
    std::sort(snapshots.begin(), snapshots.end());  // names sort by time
    while (snapshots.size() > keep) {
        fs::remove(snapshots.front(), ec);
        std::printf("backup: removed old %s\n", snapshots.front().c_str());
        snapshots.erase(snapshots.begin());
    }
}

}  // namespace

int runBackup(const CommandLine& cli) {
    Config config;
    if (!loadForData(cli, "backup", config)) return 1;
    const auto out_it = cli.options.find("out");
    if (out_it == cli.options.end() || out_it->second.empty()) {
        std::fprintf(stderr, "backup: --out FILE or --out FOLDER/ is required\n");
        return 2;
    }
    unsigned long keep = 0;
    if (auto it = cli.options.find("keep"); it != cli.options.end()) {
        char* end = nullptr;
        keep = std::strtoul(it->second.c_str(), &end, 10);
        if (it->second.empty() || *end != '\0' || keep == 0) {
            std::fprintf(stderr,
                         "backup: --keep: must be a whole number of at least 1, got \"%s\"\n",
                         it->second.c_str());
            return 2;
        }
    }
    std::error_code ec;
    const std::string& out = out_it->second;
    const bool folder = fs::is_directory(out, ec) || out.back() == '/';
    if (keep > 0 && !folder) {
        std::fprintf(stderr, "backup: --keep needs --out to name a folder, got \"%s\"\n",
                     out.c_str());
        return 2;
    }
    fs::path target = folder ? fs::path(out) / (kPrefix + utcStamp() + kSuffix) : fs::path(out);
    if (folder) {
        try {
            makePrivateDir(out);  // snapshots hold every message: owner only, like data_dir
        } catch (const fs::filesystem_error& e) {
            std::fprintf(stderr, "backup: cannot create \"%s\": %s\n", out.c_str(),
                         e.code().message().c_str());
            return 1;
        }
    }
    if (fs::exists(target, ec)) {
        std::fprintf(stderr, "backup: \"%s\" exists; refusing to overwrite it\n", target.c_str());
        return 1;
    }
    Store store(config.database, config.site.data_dir, true);
    const fs::path partial = target.string() + ".partial";
    fs::remove(partial, ec);
    try {
        // Created empty and 0600 first: VACUUM INTO accepts an empty file and keeps its mode.
        makePrivateFile(partial.string());
        // VACUUM INTO reads one consistent snapshot; writers go on meanwhile (WAL).
        Poco::Data::Session session = store.session();
        session << "VACUUM INTO " + sqlQuoted(partial.string()), now;
    } catch (const std::exception& e) {
        const auto* poco = dynamic_cast<const Poco::Exception*>(&e);
        std::fprintf(stderr, "backup: %s: %s\n", store.describe().c_str(),
                     poco ? poco->displayText().c_str() : e.what());
        fs::remove(partial, ec);
        return 1;
    }
    const std::string verdict = checkSnapshot(partial.string());
    if (verdict != "ok") {
        std::fprintf(stderr, "backup: the snapshot failed its check: %s\n", verdict.c_str());
        fs::remove(partial, ec);
        return 1;
    }
    fs::rename(partial, target, ec);
    if (ec) {
        std::fprintf(stderr, "backup: cannot move the snapshot to \"%s\": %s\n", target.c_str(),
                     ec.message().c_str());
        return 1;
    }
    std::printf("backup: wrote %s (%ju bytes)\n", target.c_str(),
                static_cast<std::uintmax_t>(fs::file_size(target, ec)));
    if (keep > 0) prune(target.parent_path(), keep);
    return 0;
}

int runRestore(const CommandLine& cli) {
    Config config;
    if (!loadForData(cli, "restore", config)) return 1;
    if (cli.positional.empty()) {
        std::fprintf(stderr, "restore: name the backup file: portico restore FILE\n");
        return 2;
    }
    const std::string source = cli.positional.front();
    const std::string verdict = checkSnapshot(source);
    if (verdict != "ok") {
        std::fprintf(stderr, "restore: \"%s\": %s; nothing was changed\n", source.c_str(),
                     verdict.c_str());
        return 1;
    }
    try {
        makePrivateDir(config.site.data_dir);
    } catch (const fs::filesystem_error& e) {
        std::fprintf(stderr, "restore: cannot create data_dir \"%s\": %s\n",
                     config.site.data_dir.c_str(), e.code().message().c_str());
        return 1;
    }
    std::string holder;
    std::unique_ptr<DataDirLock> lock;
    if (!DataDirLock::tryExclusive(config.site.data_dir, holder, lock) &&
        cli.options.count("force") == 0) {
        std::fprintf(stderr,
                     "restore: a server is using data_dir \"%s\"%s; stop it first, or pass "
                     "--force to restore under it\n",
                     config.site.data_dir.c_str(),
                     holder.empty() ? "" : (" (pid " + holder + ")").c_str());
        return 1;
    }
    Store store(config.database, config.site.data_dir);
    const std::string target = store.sqlitePath();
    try {
        // The backup API copies page by page under SQLite's own locks, so connections that
        // are open on the target (with --force) see the restored content, never a torn file.
        Poco::Data::Session session("SQLite", source);
        makePrivateFile(target);  // SQLite would create it with 0644
        if (!Poco::Data::SQLite::Utility::memoryToFile(target, session)) {
            std::fprintf(stderr, "restore: copying into \"%s\" failed (database busy?)\n",
                         target.c_str());
            return 1;
        }
    } catch (const Poco::Exception& e) {
        std::fprintf(stderr, "restore: %s\n", e.displayText().c_str());
        return 1;
    } catch (const std::system_error& e) {
        std::fprintf(stderr, "restore: cannot create \"%s\": %s\n", target.c_str(), e.what());
        return 1;
    }
    std::printf("restore: %s restored from %s\n", target.c_str(), source.c_str());
    return 0;
}

}  // namespace portico::host
