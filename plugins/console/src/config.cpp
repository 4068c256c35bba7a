#include "config.hpp"

#include <filesystem>

#include "portico/sdk/errors.hpp"
#include "portico/sdk/net.hpp"

namespace portico::plugins::console {

const char* const kSchema = R"json({
  "type": "object",
  "properties": {
    "password_hash": {"type": "string", "default": "",
      "description": "The operator's password as `portico console hash-password` prints it (pbkdf2-sha256:ITERATIONS:SALT:HASH), from the environment, e.g. \"${PORTICO_CONSOLE_PASSWORD_HASH:-}\". Empty: the console asks for no login, which is allowed only while admin.address is loopback; bound anywhere else the host refuses to start without it."},
    "session_minutes": {"type": "integer", "minimum": 5, "maximum": 10080, "default": 480,
      "description": "How long a login lasts (the session cookie is Secure, HttpOnly, SameSite=Strict; sessions live in memory, so a restart logs the operator out)."},
    "login_attempts": {"type": "integer", "minimum": 1, "maximum": 100, "default": 5,
      "description": "Failed logins one client address may make per login_window_minutes; further attempts get 429 without the password being checked."},
    "login_window_minutes": {"type": "integer", "minimum": 1, "maximum": 1440, "default": 15,
      "description": "The window of login_attempts, in minutes."},
    "backup_dir": {"type": "string", "minLength": 1, "default": "backups",
      "description": "Folder of the SQLite snapshots the console lists and takes (portico-<UTC time>.db, as `portico backup --out FOLDER/` writes them); relative to data_dir."},
    "keep_backups": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 14,
      "description": "Snapshots kept in backup_dir when the console takes one; older ones are removed."},
    "sample_seconds": {"type": "integer", "minimum": 1, "maximum": 3600, "default": 10,
      "description": "How often the console samples the host's request count for its request-rate chart (the last 60 samples are shown)."}
  }
})json";

bool isLoopback(const std::string& address) {
    const auto ip = sdk::parseAddress(address);
    if (!ip) return false;
    static const auto v4 = sdk::Cidr::parse("127.0.0.0/8");
    static const auto v6 = sdk::Cidr::parse("::1");
    return v4->contains(*ip) || v6->contains(*ip);
}

ConsoleConfig readConfig(const nlohmann::json& block, const std::string& admin_address,
                         const std::string& data_dir) {
    ConsoleConfig c;
    sdk::ConfigErrors errors;
    const auto hash = block.at("password_hash").get<std::string>();
    if (!hash.empty()) {
        std::string why;
        c.password = parsePasswordHash(hash, why);
        if (!c.password) errors.add("password_hash", why);
    } else if (!admin_address.empty() && !isLoopback(admin_address)) {
        errors.add("password_hash",
                   "required while admin.address is not loopback, got admin.address \"" +
                       admin_address +
                       "\": set it to the output of `portico console hash-password` (e.g. "
                       "from PORTICO_CONSOLE_PASSWORD_HASH)");
    }
    c.session = std::chrono::minutes(block.at("session_minutes").get<int>());
    c.login_attempts = block.at("login_attempts").get<std::uint32_t>();
    c.login_window = std::chrono::minutes(block.at("login_window_minutes").get<int>());
    std::filesystem::path dir = block.at("backup_dir").get<std::string>();
    c.backup_dir = (dir.is_absolute() ? dir : std::filesystem::path(data_dir) / dir).string();
    c.keep_backups = block.at("keep_backups").get<std::uint32_t>();
    c.sample_every = std::chrono::seconds(block.at("sample_seconds").get<int>());
    errors.throwIfAny();
    return c;
}

}  // namespace portico::plugins::console
