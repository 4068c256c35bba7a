#pragma once

// The service manager's end of sd_notify(3) for tests: a datagram socket bound to a path or to
// an abstract name ('@' first, as $NOTIFY_SOCKET writes it) that collects what portico sends.

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>

namespace portico::tests {

class NotifyListener {
public:
    explicit NotifyListener(std::string name) : name_(std::move(name)) {
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd_ < 0) throw std::runtime_error("socket: " + std::string(std::strerror(errno)));
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        if (name_.size() >= sizeof address.sun_path) throw std::runtime_error("name too long");
        std::memcpy(address.sun_path, name_.data(), name_.size());
        const bool abstract = name_[0] == '@';
        if (abstract) address.sun_path[0] = '\0';
        const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name_.size() +
                                                   (abstract ? 0 : 1));
        if (::bind(fd_, reinterpret_cast<const sockaddr*>(&address), length) != 0) {
            const std::string error = std::strerror(errno);
            ::close(fd_);
            throw std::runtime_error("bind " + name_ + ": " + error);
        }
    }
    ~NotifyListener() {
        ::close(fd_);
        if (name_[0] == '/') ::unlink(name_.c_str());
    }
    NotifyListener(const NotifyListener&) = delete;
    NotifyListener& operator=(const NotifyListener&) = delete;

    /// The value for $NOTIFY_SOCKET.
    const std::string& name() const { return name_; }

    /// The next datagram, or nothing when none arrives within `timeout`.
    std::optional<std::string> receive(std::chrono::milliseconds timeout) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return std::nullopt;
        char buffer[4096];
        const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
        if (n < 0) return std::nullopt;
        return std::string(buffer, static_cast<std::size_t>(n));
    }

    /// Datagrams until one contains `text` (returned), skipping others (appended to `skipped`
    /// when given); nothing when `timeout` passes first.
    std::optional<std::string> receiveContaining(const std::string& text,
                                                 std::chrono::milliseconds timeout,
                                                 std::string* skipped = nullptr) {
        const auto until = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                until - std::chrono::steady_clock::now());
            if (left.count() <= 0) return std::nullopt;
            auto message = receive(left);
            if (!message) return std::nullopt;
            if (message->find(text) != std::string::npos) return message;
            if (skipped) *skipped += *message + "\n--\n";
        }
    }

private:
    std::string name_;
    int fd_ = -1;
};

}  // namespace portico::tests
