#include "logging.hpp"

#include <chrono>
#include <ctime>
#include <mutex>
#include <unordered_map>

#include <nlohmann/json.hpp>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/ansicolor_sink.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

namespace portico::host {
namespace {

constexpr const char* kAccessMarker = "\x1e";  // prefix of access lines that carry JSON fields

// One JSON object per line. Access lines arrive as JSON fields and are merged in.
class JsonFormatter final : public spdlog::formatter {
public:
    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
        using namespace std::chrono;
        auto micros = duration_cast<microseconds>(msg.time.time_since_epoch()).count();
        std::time_t secs = static_cast<std::time_t>(micros / 1000000);
        std::tm tm{};
        gmtime_r(&secs, &tm);
        char stamp[40];
        std::size_t n = std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
        std::snprintf(stamp + n, sizeof stamp - n, ".%06lldZ",
                      static_cast<long long>(micros % 1000000));
        nlohmann::ordered_json line;
        line["time"] = stamp;
        line["level"] = std::string(spdlog::level::to_string_view(msg.level).data(),
                                    spdlog::level::to_string_view(msg.level).size());
        line["logger"] = std::string(msg.logger_name.data(), msg.logger_name.size());
        std::string payload(msg.payload.data(), msg.payload.size());
        if (payload.rfind(kAccessMarker, 0) == 0) {
            auto fields = nlohmann::ordered_json::parse(payload.substr(1), nullptr, false);
            if (fields.is_object()) {
                for (auto& [k, v] : fields.items()) line[k] = v;
            } else {
                line["msg"] = payload.substr(1);
            }
        } else {
            line["msg"] = payload;
        }
        std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        dest.append(text.data(), text.data() + text.size());
        dest.push_back('\n');
    }
    std::unique_ptr<spdlog::formatter> clone() const override {
        return std::make_unique<JsonFormatter>();
    }
};

struct LogState {
    std::mutex mutex;
    std::vector<spdlog::sink_ptr> sinks;
    spdlog::level::level_enum level = spdlog::level::info;
    bool json = false;
    bool access = true;
    std::unordered_map<std::string, std::shared_ptr<spdlog::logger>> loggers;
    std::unordered_map<std::string, std::string> levels;  // explicit per-logger levels
};

LogState& state() {
    static LogState s;
    return s;
}

std::shared_ptr<spdlog::logger> makeLocked(LogState& s, const std::string& name) {
    auto& slot = s.loggers[name];
    if (!slot) {
        slot = std::make_shared<spdlog::logger>(name, s.sinks.begin(), s.sinks.end());
    } else {
        slot->sinks() = s.sinks;
    }
    auto lvl = s.levels.find(name);
    slot->set_level(lvl == s.levels.end() || lvl->second.empty() ? s.level
                                                                  : levelFromName(lvl->second));
    slot->flush_on(spdlog::level::warn);
    return slot;
}

}  // namespace

spdlog::level::level_enum levelFromName(const std::string& name) {
    if (name == "trace") return spdlog::level::trace;
    if (name == "debug") return spdlog::level::debug;
    if (name == "warn") return spdlog::level::warn;
    if (name == "error") return spdlog::level::err;
    if (name == "critical") return spdlog::level::critical;
    if (name == "off") return spdlog::level::off;
    return spdlog::level::info;
}

void setupLogging(const LogConfig& config) {
    auto& s = state();
    std::lock_guard<std::mutex> lock(s.mutex);
    std::vector<spdlog::sink_ptr> sinks;
    spdlog::sink_ptr console;
    if (config.format == "text" && isatty(STDOUT_FILENO)) {
        console = std::make_shared<spdlog::sinks::ansicolor_stdout_sink_mt>();
    } else {
        console = std::make_shared<spdlog::sinks::stdout_sink_mt>();
    }
    sinks.push_back(console);
    if (!config.file.empty()) {
        sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
            config.file, config.max_size_bytes, config.max_files));
    }
    for (auto& sink : sinks) {
        if (config.format == "json") {
            sink->set_formatter(std::make_unique<JsonFormatter>());
        } else {
            sink->set_formatter(std::make_unique<spdlog::pattern_formatter>(
                "%Y-%m-%dT%H:%M:%S.%fZ %^%-5l%$ [%n] %v", spdlog::pattern_time_type::utc));
        }
    }
    s.sinks = std::move(sinks);
    s.level = levelFromName(config.level);
    s.json = config.format == "json";
    s.access = config.access_log;
    for (auto& [name, logger] : s.loggers) makeLocked(s, name);
    spdlog::set_default_logger(makeLocked(s, "portico"));
    if (!config.file.empty()) spdlog::flush_every(std::chrono::seconds(1));
}

std::shared_ptr<spdlog::logger> makeLogger(const std::string& name, const std::string& level) {
    auto& s = state();
    std::lock_guard<std::mutex> lock(s.mutex);
    s.levels[name] = level;
    return makeLocked(s, name);
}

std::shared_ptr<spdlog::logger> accessLogger() {
    auto& s = state();
    {
        std::lock_guard<std::mutex> lock(s.mutex);
        if (!s.access) return nullptr;
        auto it = s.loggers.find("access");
        if (it != s.loggers.end()) return it->second;
    }
    return makeLogger("access");
}

void logAccess(spdlog::logger& logger, const std::string& method, const std::string& host,
               const std::string& path, int status, std::uint64_t bytes, double duration_ms,
               const std::string& client, const std::string& request_id) {
    if (!logger.should_log(spdlog::level::info)) return;
    if (state().json) {
        nlohmann::ordered_json f;
        f["method"] = method;
        f["host"] = host;
        f["path"] = path;
        f["status"] = status;
        f["bytes"] = bytes;
        f["duration_ms"] = duration_ms;
        f["client"] = client;
        f["request_id"] = request_id;
        logger.info("{}{}", kAccessMarker,
                    f.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    } else {
        logger.info("{} {} {} {} {}B {:.3f}ms {} id={}", method, host, path, status, bytes,
                    duration_ms, client, request_id);
    }
}

}  // namespace portico::host
