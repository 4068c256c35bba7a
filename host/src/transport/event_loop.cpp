#include "event_loop.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "connection.hpp"
#include "portico/sdk/net.hpp"

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

// Under overload a header must arrive within a second and a keep-alive connection may idle a
// quarter of one (Envoy's reduce_timeouts; a phone on a poor network still sends its header).
constexpr std::chrono::milliseconds kHeaderFloor{1000};
constexpr std::chrono::milliseconds kIdleFloor{250};
constexpr std::chrono::seconds kWarnEvery{10};
// A header still incomplete after this long may be closed to admit a new connection: a real
// visitor's header comes in one packet or a few round trips.
constexpr std::chrono::milliseconds kShedSlowAfter{250};

void inc(sdk::metrics::Counter* counter, std::uint64_t by = 1) {
    if (counter && by) counter->inc(by);
}

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
    durations_[kStreamTimer] = kStreamKeepAlive;
    for (int kind = 0; kind < kTimerKinds; ++kind) floors_[kind] = durations_[kind];
    floors_[kHeaderTimer] = std::min<Clock::duration>(kHeaderFloor, durations_[kHeaderTimer]);
    floors_[kIdleTimer] = std::min<Clock::duration>(kIdleFloor, durations_[kIdleTimer]);
    reserve_fd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
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
    if (reserve_fd_ >= 0) ::close(reserve_fd_);
    if (wake_fd_ >= 0) ::close(wake_fd_);
    if (epoll_fd_ >= 0) ::close(epoll_fd_);
}

void EventLoop::start() {
    thread_ = std::thread([this] { run(); });
}

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
    watchListener(false);
    ::close(listen_fd_);
    listen_fd_ = -1;
}

void EventLoop::setTimer(Connection& c, TimerKind kind) {
    clearTimer(c);
    c.tlist = kind;
    c.since = Clock::now();
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
    if (c.tprev)
        c.tprev->tnext = c.tnext;
    else
        timers_[c.tlist] = c.tnext;
    if (c.tnext)
        c.tnext->tprev = c.tprev;
    else
        timer_tails_[c.tlist] = c.tprev;
    c.tprev = c.tnext = nullptr;
    c.tlist = -1;
}

void EventLoop::retire(Connection& c, int fd) {
    clearTimer(c);
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
    if (c.aprev)
        c.aprev->anext = c.anext;
    else
        all_ = c.anext;
    if (c.anext) c.anext->aprev = c.aprev;
    c.aprev = c.anext = nullptr;
    if (c.counted()) {
        shared_.open.fetch_sub(1);
        if (shared_.open_gauge) shared_.open_gauge->add(-1);
    }
    if (c.client_slot) {
        shared_.clients.release(c.peer());
        c.client_slot = false;
    }
    graveyard_.push_back(&c);
}

void EventLoop::unpost(Connection& c) {
    std::lock_guard<std::mutex> lock(mutex_);
    posted_.erase(std::remove(posted_.begin(), posted_.end(), &c), posted_.end());
}

Clock::duration EventLoop::timeout(int kind) const noexcept {
    if (kind != kHeaderTimer && kind != kIdleTimer) return durations_[kind];
    return scaledTimeout(durations_[kind], floors_[kind], shared_.occupancy());
}

bool EventLoop::admitClient(Connection& c) {
    const std::uint32_t limit = shared_.server.max_connections_per_client;
    if (limit == 0) return true;
    const auto& trusted = shared_.server.trusted_proxies;
    if (!trusted.empty()) {
        if (auto address = sdk::parseAddress(c.peer())) {
            for (const auto& cidr : trusted) {
                if (cidr.contains(*address)) return true;  // a proxy speaks for many clients
            }
        }
    }
    if (!shared_.clients.acquire(c.peer(), limit)) return false;
    c.client_slot = true;
    return true;
}

bool EventLoop::makeRoom(Clock::time_point now) {
    // nginx reuses idle keep-alive connections when it runs out; a slow header that has had its
    // floor's worth of time goes next, so trickling sockets cannot keep a visitor out.
    if (Connection* idle = timers_[kIdleTimer]) {
        idle->closeNow();
        inc(shared_.shed_idle);
        return true;
    }
    Connection* slow = timers_[kHeaderTimer];
    if (slow && now - slow->since >= kShedSlowAfter) {
        slow->closeNow();
        inc(shared_.shed_slow);
        return true;
    }
    // An author's live-reload stream reconnects by itself; a visitor cannot.
    if (Connection* stream = timers_[kStreamTimer]) {
        stream->closeNow();
        inc(shared_.shed_idle);
        return true;
    }
    return false;
}

void EventLoop::watchListener(bool on) {
    if (listen_fd_ < 0 || epoll_fd_ < 0 || listener_watched_ == on) return;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = &listen_tag_;
    epoll_ctl(epoll_fd_, on ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, listen_fd_, &ev);
    listener_watched_ = on;
}

void EventLoop::outOfDescriptors(int error) {
    static const char k503[] =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Content-Length: 38\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"
        "the server is out of file descriptors\n";
    std::uint64_t answered = 0;
    if (reserve_fd_ >= 0) {
        // The reserve frees one descriptor: each queued visitor gets a clear answer in turn.
        ::close(reserve_fd_);
        for (int i = 0; i < kAcceptBatch; ++i) {
            int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) break;
            char drain[4096];
            [[maybe_unused]] auto r = ::recv(fd, drain, sizeof drain, MSG_DONTWAIT);
            [[maybe_unused]] auto w =
                ::send(fd, k503, sizeof k503 - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
            ::shutdown(fd, SHUT_WR);
            ::close(fd);
            ++answered;
        }
        reserve_fd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    }
    inc(shared_.refused_descriptors, answered);
    // Level-triggered, the listener would wake this loop at once again: look away for a moment.
    watchListener(false);
    paused_until_ = Clock::now() + kDescriptorPause;
    const auto now = Clock::now().time_since_epoch().count();
    auto last = shared_.descriptors_logged.load();
    const auto every = std::chrono::duration_cast<Clock::duration>(kWarnEvery).count();
    if ((last == 0 || now - last >= every) &&
        shared_.descriptors_logged.compare_exchange_strong(last, now)) {
        spdlog::warn(
            "out of file descriptors ({}): new connections get 503 and accepting pauses for "
            "{} ms at a time; raise the open-file limit or lower server.max_connections",
            std::strerror(error), kDescriptorPause.count());
    }
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
    inc(shared_.accepted);
    if (!admitClient(*c)) {
        inc(shared_.refused_client);
        c->refuse(503, "too many connections from your address");
        return;
    }
    const int limit = static_cast<int>(shared_.server.max_connections);
    auto count = [&] {
        if (shared_.open.fetch_add(1) < limit) return true;
        shared_.open.fetch_sub(1);
        return false;
    };
    if (!count() && !(makeRoom(Clock::now()) && count())) {
        inc(shared_.refused_full);
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
        if (fd < 0) {
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                outOfDescriptors(errno);
            }
            break;  // EAGAIN, or paused after running out
        }
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
    for (auto* c : taken_) {
        if (!c->closed()) c->onHandled();  // an event stream's wake-up may come after it closed
    }
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
        const Clock::duration after = timeout(kind);
        while (timers_[kind] && timers_[kind]->since + after <= now) {
            Connection* c = timers_[kind];
            clearTimer(*c);
            c->onDeadline();
        }
    }
}

int EventLoop::waitMs(Clock::time_point now) const {
    Clock::time_point next = now + std::chrono::seconds(1);
    for (int kind = 0; kind < kTimerKinds; ++kind) {
        const Connection* head = timers_[kind];
        if (head && head->since + timeout(kind) < next) next = head->since + timeout(kind);
    }
    if (!listener_watched_ && listen_fd_ >= 0 && paused_until_ < next) next = paused_until_;
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
        const auto now = Clock::now();
        if (!listener_watched_ && listen_fd_ >= 0 && now >= paused_until_) {
            watchListener(true);
            accept();
        }
        expire(now);
        for (auto* c : graveyard_) delete c;
        graveyard_.clear();
    }
}

}  // namespace portico::host::transport
