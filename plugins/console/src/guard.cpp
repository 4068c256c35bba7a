#include "guard.hpp"

#include "portico/sdk/random.hpp"

namespace portico::plugins::console {

namespace {

// Bounds the memory a flood of made-up client addresses can take.
constexpr std::size_t kMaxTrackedClients = 10000;

}  // namespace

Guard::Guard(const ConsoleConfig& config, const sdk::Clock& clock, DigestEqual equal)
    : password_(config.password),
      session_length_(config.session),
      attempts_(config.login_attempts),
      window_(config.login_window),
      clock_(clock),
      equal_(equal),
      secret_(sdk::randomHex(32)) {}

bool Guard::limited(const std::string& client, std::chrono::steady_clock::time_point now) {
    auto& times = failures_[client];
    while (!times.empty() && now - times.front() >= window_) times.pop_front();
    return times.size() >= attempts_;
}

Guard::Login Guard::login(const std::string& client, const std::string& password,
                          std::string& session) {
    if (!password_) return Login::kWrong;
    const auto now = clock_.monotonic();
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (limited(client, now)) return Login::kLimited;
    }
    // PBKDF2 takes a while by design: outside the lock, so one login does not stall the rest.
    const bool right = verifyPassword(*password_, password, equal_);
    std::lock_guard<std::mutex> lock(mutex_);
    if (!right) {
        if (failures_.size() >= kMaxTrackedClients) failures_.clear();
        failures_[client].push_back(now);
        return Login::kWrong;
    }
    failures_.erase(client);
    for (auto it = sessions_.begin(); it != sessions_.end();) {
        it = it->second <= now ? sessions_.erase(it) : std::next(it);
    }
    session = sdk::randomHex(32);
    sessions_[session] = now + session_length_;
    return Login::kOk;
}

bool Guard::valid(const std::string& session) const {
    if (!password_) return true;
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = sessions_.find(session);
    return it != sessions_.end() && clock_.monotonic() < it->second;
}

void Guard::logout(const std::string& session) {
    std::lock_guard<std::mutex> lock(mutex_);
    sessions_.erase(session);
}

std::string Guard::csrfToken(const std::string& session) const {
    return hmacHex(secret_, "csrf\n" + session);
}

bool Guard::csrfValid(const std::string& session, const std::string& token) const {
    return constantTimeEqual(csrfToken(session), token);
}

}  // namespace portico::plugins::console
