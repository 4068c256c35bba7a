#include "logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/ansicolor_sink.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <mutex>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "portico/sdk/http.hpp"

namespace portico::host {
namespace {

constexpr const char* kAccessMarker = "\x1e";  // prefix of access lines that carry JSON fields

// JSON escapes C0 controls but passes C1 controls (a CSI to some terminals), line separators
// and bidi overrides as UTF-8; a `tail -f` of the log must not interpret a visitor's bytes.
std::string jsonInvisibles(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == 0xC2 || c == 0xE2) {
            const std::string escaped = sdk::escapeControls(text.substr(i, c == 0xC2 ? 2 : 3));
            if (escaped.rfind("\\u", 0) == 0) {
                out += escaped;  // "\u0085" is a valid JSON escape as it stands
                i += c == 0xC2 ? 1 : 2;
                continue;
            }
        }
        out += static_cast<char>(c);
    }
    return out;
}

// Text lines: the message with every control character escaped (sdk::escapeControls), so a
// request path or plugin message cannot start a forged line or drive the operator's terminal.
class TextFormatter final : public spdlog::formatter {
public:
    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
        const std::string escaped =
            sdk::escapeControls(std::string_view(msg.payload.data(), msg.payload.size()));
        spdlog::details::log_msg copy = msg;
        copy.payload = spdlog::string_view_t(escaped.data(), escaped.size());
        pattern_.format(copy, dest);
        msg.color_range_start = copy.color_range_start;  // for the colour sink (mutable fields)
        msg.color_range_end = copy.color_range_end;
    }
    std::unique_ptr<spdlog::formatter> clone() const override {
        return std::make_unique<TextFormatter>();
    }

private:
    spdlog::pattern_formatter pattern_{"%Y-%m-%dT%H:%M:%S.%fZ %^%-5l%$ [%n] %v",
                                       spdlog::pattern_time_type::utc};
};

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
        std::string text =
            jsonInvisibles(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
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

void setupLogging(const LogConfig& config, Console console) {
    auto& s = state();
    std::lock_guard<std::mutex> lock(s.mutex);
    std::vector<spdlog::sink_ptr> sinks;
    const bool to_stderr = console == Console::kStderr;
    const bool colour =
        config.format == "text" && isatty(to_stderr ? STDERR_FILENO : STDOUT_FILENO);
    if (colour && to_stderr) {
        sinks.push_back(std::make_shared<spdlog::sinks::ansicolor_stderr_sink_mt>());
    } else if (colour) {
        sinks.push_back(std::make_shared<spdlog::sinks::ansicolor_stdout_sink_mt>());
    } else if (to_stderr) {
        sinks.push_back(std::make_shared<spdlog::sinks::stderr_sink_mt>());
    } else {
        sinks.push_back(std::make_shared<spdlog::sinks::stdout_sink_mt>());
    }
    if (!config.file.empty()) {
        sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
            config.file, config.max_size_bytes, config.max_files));
    }
    for (auto& sink : sinks) {
        if (config.format == "json") {
            sink->set_formatter(std::make_unique<JsonFormatter>());
        } else {
            sink->set_formatter(std::make_unique<TextFormatter>());
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
