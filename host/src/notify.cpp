#include "notify.hpp"

#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>

namespace portico::host {

namespace {

std::string environment(const char* name) {
    const char* value = std::getenv(name);
    return value ? value : "";
}

// A positive decimal number, else 0.
unsigned long long parsePositive(const std::string& text) {
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) return 0;
    errno = 0;
    const unsigned long long value = std::strtoull(text.c_str(), nullptr, 10);
    return errno == 0 ? value : 0;
}

// The socket address of `name`: '/' starts a path, '@' an abstract name (a leading NUL byte,
// and the length counts exactly the name's bytes). False for anything else (systemd 254+ also
// knows vsock: addresses, which a VM guest would need and this host does not).
bool socketAddress(const std::string& name, sockaddr_un& address, socklen_t& length) {
    std::memset(&address, 0, sizeof address);
    address.sun_family = AF_UNIX;
    if (name.size() < 2 || (name[0] != '/' && name[0] != '@')) return false;
    if (name.size() > sizeof address.sun_path - (name[0] == '/' ? 1 : 0)) return false;
    std::memcpy(address.sun_path, name.data(), name.size());
    if (name[0] == '@') address.sun_path[0] = '\0';
    length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size() +
                                    (name[0] == '/' ? 1 : 0));
    return true;
}

}  // namespace

ServiceNotifier::ServiceNotifier(std::string socket, const std::string& watchdog_usec,
                                 const std::string& watchdog_pid, pid_t self)
    : socket_(std::move(socket)) {
    const unsigned long long usec = parsePositive(watchdog_usec);
    const bool ours = watchdog_pid.empty() ||
                      parsePositive(watchdog_pid) == static_cast<unsigned long long>(self);
    if (usec > 0 && ours) watchdog_interval_ = std::chrono::microseconds(usec / 2);
}

ServiceNotifier ServiceNotifier::fromEnvironment() {
    ServiceNotifier notifier(environment("NOTIFY_SOCKET"), environment("WATCHDOG_USEC"),
                             environment("WATCHDOG_PID"), ::getpid());
    sockaddr_un address{};
    socklen_t length = 0;
    if (notifier.active() && !socketAddress(notifier.socket_, address, length)) {
        spdlog::default_logger()->warn("NOTIFY_SOCKET: unsupported address \"{}\"; not notifying",
                                       notifier.socket_);
        notifier.socket_.clear();
    }
    return notifier;
}

bool ServiceNotifier::send(const std::string& state) const {
    if (!active()) return false;
    sockaddr_un address{};
    socklen_t length = 0;
    if (!socketAddress(socket_, address, length)) return false;
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    const ssize_t sent = ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL,
                                  reinterpret_cast<const sockaddr*>(&address), length);
    const int error = errno;
    ::close(fd);
    if (sent != static_cast<ssize_t>(state.size())) {
        spdlog::default_logger()->debug("NOTIFY_SOCKET: cannot send to \"{}\": {}", socket_,
                                        std::strerror(error));
        return false;
    }
    return true;
}

bool ServiceNotifier::ready(const std::string& status) const {
    return send("READY=1\nSTATUS=" + status);
}

bool ServiceNotifier::reloading() const {
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    const long long usec = static_cast<long long>(now.tv_sec) * 1000000 + now.tv_nsec / 1000;
    return send("RELOADING=1\nSTATUS=reloading\nMONOTONIC_USEC=" + std::to_string(usec));
}

bool ServiceNotifier::stopping() const { return send("STOPPING=1\nSTATUS=stopping"); }

WatchdogPinger::WatchdogPinger(const ServiceNotifier& notifier) {
    if (!notifier.active() || notifier.watchdogInterval().count() == 0) return;
    thread_ = std::thread([this, notifier] { run(notifier); });
}

WatchdogPinger::~WatchdogPinger() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void WatchdogPinger::run(ServiceNotifier notifier) {
    std::unique_lock<std::mutex> lock(mutex_);
    do {
        notifier.send("WATCHDOG=1");
    } while (!wake_.wait_for(lock, notifier.watchdogInterval(), [this] { return stop_; }));
}

}  // namespace portico::host
