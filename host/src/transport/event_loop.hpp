#pragma once

#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "shared.hpp"

namespace portico::host::transport {

class Connection;

/// One I/O thread: an epoll set over its own SO_REUSEPORT listener (a Poco ServerSocket's
/// descriptor), its connections and an eventfd for wake-ups from workers and the transport.
/// Poco 1.11's PollSet has no wake-up and returns a std::map per poll, so epoll is used
/// directly on the sockets' descriptors.
class EventLoop {
public:
    /// Takes ownership of the listening descriptor `listen_fd` (already bound and listening).
    EventLoop(Shared& shared, int listen_fd);
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    void start();
    /// Any thread: a worker finished `connection`'s request.
    void post(Connection* connection);
    /// Any thread: accept what is queued, close the listener and idle connections.
    void stopAccepting();
    /// Any thread: leave the loop; join() then waits for it.
    void stop();
    void join();

    // I/O thread, for connections.
    Shared& shared() noexcept { return shared_; }
    char* readBuffer() noexcept { return read_buffer_.get(); }
    std::size_t readBufferSize() const noexcept { return kReadBuffer; }
    void setTimer(Connection& c, TimerKind kind);
    void clearTimer(Connection& c);
    /// Removes `c` from epoll; deleted after the current batch of events.
    void retire(Connection& c, int fd);
    /// Drops `c` from the wake-ups posted but not yet taken (an event stream that closes).
    void unpost(Connection& c);

private:
    static constexpr std::size_t kReadBuffer = 64 * 1024;
    static constexpr int kAcceptBatch = 64;
    /// How long the listener is not watched after the process ran out of descriptors.
    static constexpr std::chrono::milliseconds kDescriptorPause{100};

    void run();
    int accept();
    void adopt(int fd, const std::string& peer);
    /// Whether `peer` may open one more connection; counts it in the client table.
    bool admitClient(Connection& c);
    /// At max_connections: closes this loop's idlest keep-alive connection, else its slowest
    /// header, else its quietest event stream; false when none exists.
    bool makeRoom(Clock::time_point now);
    /// accept() failed with EMFILE or ENFILE: answer what is queued with 503 through the reserve
    /// descriptor, stop watching the listener for kDescriptorPause, warn once per burst.
    void outOfDescriptors(int error);
    void watchListener(bool on);
    /// The duration a timer of `kind` runs for now (header and idle shrink under load).
    Clock::duration timeout(int kind) const noexcept;
    void takePosts();
    void expire(Clock::time_point now);
    int waitMs(Clock::time_point now) const;
    void closeListener();
    void wake();

    Shared& shared_;
    int listen_fd_;
    int epoll_fd_ = -1;
    int wake_fd_ = -1;
    std::thread thread_;
    std::unique_ptr<char[]> read_buffer_;
    Connection* all_ = nullptr;
    Connection* timers_[kTimerKinds] = {};
    Connection* timer_tails_[kTimerKinds] = {};
    Clock::duration durations_[kTimerKinds] = {};
    Clock::duration floors_[kTimerKinds] = {};  // shortest a timer gets under overload
    int reserve_fd_ = -1;                       // kept open to answer 503 at EMFILE
    bool listener_watched_ = true;
    Clock::time_point paused_until_{};
    std::vector<Connection*> graveyard_;
    char listen_tag_ = 0;
    char wake_tag_ = 0;

    std::mutex mutex_;  // guards the fields below
    std::vector<Connection*> posted_;
    std::vector<Connection*> taken_;
    bool stop_accepting_ = false;
    bool stop_ = false;
};

}  // namespace portico::host::transport
