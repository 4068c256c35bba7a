#pragma once

#include <spdlog/logger.h>

#include <memory>
#include <string>

#include "config.hpp"

namespace portico::host {

/// Where the console sink writes: stdout for the server, stderr for a command whose stdout is
/// its output (a plugin command).
enum class Console { kStdout, kStderr };

/// Sets up the process's sinks from `config` (console text or JSON lines on `console`,
/// optional rotating file) and makes "portico" the default logger. Call once before any other
/// logging; calling again (on reload) replaces the sinks of every logger made by `makeLogger`.
/// Throws spdlog::spdlog_ex when the log file cannot be opened.
void setupLogging(const LogConfig& config, Console console = Console::kStdout);

/// A logger named `name` that writes to the process sinks at `level` (empty: the host level).
/// Loggers are cached by name; asking again updates the level.
std::shared_ptr<spdlog::logger> makeLogger(const std::string& name, const std::string& level = {});

/// The access logger ("access"); nullptr when access logging is off.
std::shared_ptr<spdlog::logger> accessLogger();

/// Writes one access-log line: a readable line for text format, fields for JSON.
void logAccess(spdlog::logger& logger, const std::string& method, const std::string& host,
               const std::string& path, int status, std::uint64_t bytes, double duration_ms,
               const std::string& client, const std::string& request_id);

/// Parses a level name as in the config ("warn"); unknown names give info.
spdlog::level::level_enum levelFromName(const std::string& name);

}  // namespace portico::host
