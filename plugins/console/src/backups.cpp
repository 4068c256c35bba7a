#include "backups.hpp"

#include <Poco/Data/Statement.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>

namespace portico::plugins::console {

namespace {

namespace fs = std::filesystem;
using Poco::Data::Keywords::now;

bool isSnapshot(const std::string& name) {
    return name.size() > 11 && name.rfind("portico-", 0) == 0 &&
           name.compare(name.size() - 3, 3, ".db") == 0;
}

std::string quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

}  // namespace

std::vector<Backup> listBackups(const std::string& dir) {
    std::vector<Backup> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (!isSnapshot(name) || !entry.is_regular_file(ec)) continue;
        out.push_back({name, entry.file_size(ec)});
    }
    std::sort(out.begin(), out.end(), [](const Backup& a, const Backup& b) {
        return a.name > b.name;  // the names sort by time
    });
    return out;
}

std::string takeBackup(sdk::DataStore& store, const std::string& dir, const std::string& stamp,
                       std::uint32_t keep) {
    if (store.dialect() != "sqlite") {
        throw std::runtime_error("the store is PostgreSQL: take backups with pg_dump");
    }
    fs::create_directories(dir);
    fs::permissions(dir, fs::perms::owner_all);  // snapshots hold every message
    const std::string name = "portico-" + stamp + ".db";
    const fs::path target = fs::path(dir) / name;
    const fs::path partial = target.string() + ".partial";
    if (fs::exists(target)) throw std::runtime_error(name + " exists");
    fs::remove(partial);
    const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot create " + partial.string());
    ::close(fd);
    try {
        auto s = store.session();
        s << "VACUUM INTO " + quoted(partial.string()), now;
    } catch (...) {
        std::error_code ec;
        fs::remove(partial, ec);
        throw;
    }
    fs::rename(partial, target);
    auto all = listBackups(dir);
    for (std::size_t i = keep; i < all.size(); ++i) fs::remove(fs::path(dir) / all[i].name);
    return name;
}

}  // namespace portico::plugins::console
