#include "event_loop.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "connection.hpp"

namespace portico::host::transport {
namespace {

std::string peerName(const sockaddr_storage& addr) {
    char buf[INET6_ADDRSTRLEN] = {0};
    if (addr.ss_family == AF_INET) {
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(addr).sin_addr, buf, sizeof buf);
    } else if (addr.ss_family == AF_INET6) {
        inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(addr).sin6_addr, buf,
                  sizeof buf);
    }
    return buf;
}

std::chrono::milliseconds ms(std::uint32_t v) { return std::chrono::milliseconds(v); }

}  // namespace

EventLoop::EventLoop(Shared& shared, int listen_fd)
    : shared_(shared), listen_fd_(listen_fd), read_buffer_(new char[kReadBuffer]) {
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (epoll_fd_ < 0 || wake_fd_ < 0) {
        throw std::runtime_error(std::string("cannot create an event loop: ") +
                                 std::strerror(errno));
    }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = &wake_tag_;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
    ev.data.ptr = &listen_tag_;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &ev);
    const auto& s = shared.server;
    durations_[kHeaderTimer] = ms(s.header_timeout_ms);
    durations_[kBodyTimer] = ms(s.body_timeout_ms);
    durations_[kIdleTimer] = ms(s.keep_alive_timeout_ms);
    durations_[kSendTimer] = ms(s.send_timeout_ms);
    durations_[kLingerTimer] = ms(std::min<std::uint32_t>(2000, s.header_timeout_ms));
}

EventLoop::~EventLoop() {
    stop();
    join();
    while (all_) {
        Connection* c = all_;
        all_ = c->anext;
        if (c->counted()) {
            shared_.open.fetch_sub(1);
            if (shared_.open_gauge) shared_.open_gauge->add(-1);
        }
        delete c;
    }
    for (auto* c : graveyard_) delete c;
    closeListener();
    if (wake_fd_ >= 0) ::close(wake_fd_);
    if (epoll_fd_ >= 0) ::close(epoll_fd_);
}

void EventLoop::start() { thread_ = std::thread([this] { run(); }); }

void EventLoop::join() {
    if (thread_.joinable()) thread_.join();
}

void EventLoop::wake() {
    std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wake_fd_, &one, sizeof one);
}

void EventLoop::post(Connection* connection) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        posted_.push_back(connection);
    }
    wake();
}

void EventLoop::stopAccepting() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_accepting_ = true;
    }
    wake();
}

void EventLoop::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
    }
    wake();
}

void EventLoop::closeListener() {
    if (listen_fd_ < 0) return;
    if (epoll_fd_ >= 0) epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listen_fd_, nullptr);
    ::close(listen_fd_);
    listen_fd_ = -1;
}

void EventLoop::setTimer(Connection& c, TimerKind kind) {
    clearTimer(c);
    c.tlist = kind;
    c.deadline = Clock::now() + durations_[kind];
    c.tprev = timer_tails_[kind];
    c.tnext = nullptr;
    if (c.tprev) {
        c.tprev->tnext = &c;
    } else {
        timers_[kind] = &c;
    }
    timer_tails_[kind] = &c;
}

void EventLoop::clearTimer(Connection& c) {
    if (c.tlist < 0) return;
    if (c.tprev) c.tprev->tnext = c.tnext; else timers_[c.tlist] = c.tnext;
    if (c.tnext) c.tnext->tprev = c.tprev; else timer_tails_[c.tlist] = c.tprev;
    c.tprev = c.tnext = nullptr;
    c.tlist = -1;
}

void EventLoop::retire(Connection& c, int fd) {
    clearTimer(c);
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
    if (c.aprev) c.aprev->anext = c.anext; else all_ = c.anext;
    if (c.anext) c.anext->aprev = c.aprev;
    c.aprev = c.anext = nullptr;
    if (c.counted()) {
        shared_.open.fetch_sub(1);
        if (shared_.open_gauge) shared_.open_gauge->add(-1);
    }
    graveyard_.push_back(&c);
}

void EventLoop::adopt(int fd, const std::string& peer) {
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    auto* c = new Connection(*this, fd, peer);
    c->anext = all_;
    if (all_) all_->aprev = c;
    all_ = c;
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    ev.data.ptr = c;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev);
    if (shared_.accepted) shared_.accepted->inc();
    int limit = static_cast<int>(shared_.server.max_connections);
    if (shared_.open.fetch_add(1) >= limit) {
        shared_.open.fetch_sub(1);
        if (shared_.refused) shared_.refused->inc();
        c->refuse(503, "too many open connections");
        return;
    }
    c->setCounted();
    if (shared_.open_gauge) shared_.open_gauge->add(1);
    setTimer(*c, kHeaderTimer);
}

int EventLoop::accept() {
    // Bounded per wake-up so one loop cannot take a whole burst from the others.
    int count = 0;
    for (; count < kAcceptBatch && listen_fd_ >= 0; ++count) {
        sockaddr_storage addr{};
        socklen_t len = sizeof addr;
        int fd = ::accept4(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len,
                           SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) break;  // EAGAIN, or EMFILE and the like: try again on the next wake-up
        adopt(fd, peerName(addr));
    }
    return count;
}

void EventLoop::takePosts() {
    bool stop_accepting = false;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        taken_.swap(posted_);
        if (stop_accepting_ && listen_fd_ >= 0) stop_accepting = true;
    }
    for (auto* c : taken_) c->onHandled();
    taken_.clear();
    if (stop_accepting) {
        // Everything already queued on this listener gets served rather than reset.
        while (accept() == kAcceptBatch) {
        }
        closeListener();
        for (Connection* c = all_; c;) {
            Connection* next = c->anext;
            c->onDraining();
            c = next;
        }
    }
}

void EventLoop::expire(Clock::time_point now) {
    for (int kind = 0; kind < kTimerKinds; ++kind) {
        while (timers_[kind] && timers_[kind]->deadline <= now) {
            Connection* c = timers_[kind];
            clearTimer(*c);
            c->onDeadline();
        }
    }
}

int EventLoop::waitMs(Clock::time_point now) const {
    Clock::time_point next = now + std::chrono::seconds(1);
    for (auto* head : timers_) {
        if (head && head->deadline < next) next = head->deadline;
    }
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count() + 1;
    return static_cast<int>(std::max<long long>(0, wait));
}

void EventLoop::run() {
    constexpr int kEvents = 256;
    epoll_event events[kEvents];
    for (;;) {
        int n = epoll_wait(epoll_fd_, events, kEvents, waitMs(Clock::now()));
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (stop_) break;
        }
        for (int i = 0; i < n; ++i) {
            void* tag = events[i].data.ptr;
            if (tag == &listen_tag_) {
                accept();
            } else if (tag == &wake_tag_) {
                std::uint64_t value;
                [[maybe_unused]] auto r = ::read(wake_fd_, &value, sizeof value);
                takePosts();
            } else {
                auto* c = static_cast<Connection*>(tag);
                if (!c->closed()) c->onEvents(events[i].events);
            }
        }
        expire(Clock::now());
        for (auto* c : graveyard_) delete c;
        graveyard_.clear();
    }
}

}  // namespace portico::host::transport
