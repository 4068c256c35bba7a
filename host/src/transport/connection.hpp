#pragma once

#include <string>

#include "request_parser.hpp"
#include "response_writer.hpp"
#include "shared.hpp"

namespace portico::host::transport {

class EventLoop;

/// One client connection, driven by its I/O loop; while a request is on a worker the
/// connection reads nothing more, so pipelined requests are answered in order.
class Connection final : public Job {
public:
    Connection(EventLoop& loop, int fd, std::string peer);
    ~Connection() override;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    /// Worker thread: runs the pipeline, serialises the head, posts back to the loop.
    void run() noexcept override;

    // I/O thread only.
    void onEvents(std::uint32_t events);
    void onHandled();
    void onDeadline();
    /// Draining began: an idle connection or an event stream closes now, a busy one after its
    /// response.
    void onDraining();
    /// Answers `status` at once and closes (connection cap).
    void refuse(int status, const std::string& detail);
    /// Closes at once without an answer (shed to make room under overload).
    void closeNow() { close(); }
    bool closed() const noexcept { return state_ == State::kClosed; }
    bool counted() const noexcept { return counted_; }
    void setCounted() noexcept { counted_ = true; }
    /// The TCP peer's address (no port).
    const std::string& peer() const noexcept { return peer_; }
    /// True once the connection holds a slot in its listener's ClientTable.
    bool client_slot = false;

    // Links owned by EventLoop: the timer list and the list of every connection.
    Connection* tprev = nullptr;
    Connection* tnext = nullptr;
    int tlist = -1;
    Clock::time_point since;  ///< when the timer was set; it fires after the loop's timeout
    Connection* aprev = nullptr;
    Connection* anext = nullptr;

private:
    enum class State { kReading, kBusy, kWriting, kLinger, kStreaming, kClosed };

    void drive();
    void consume(const char* data, std::size_t size, std::size_t& used);
    void dispatch();
    void prepare() noexcept;
    void startWrite();
    int flushOut();  // 1 all written, 0 would block, -1 failed
    void finish(bool written);
    void fail(int status, const std::string& detail);
    void linger();
    void close();
    // An event stream (server-sent events) after its head: input is discarded, queued events
    // are written as the stream wakes the loop, a quiet stream gets keep-alive comments.
    void startStream(std::shared_ptr<ResponseStream> stream);
    void pumpStream();
    void flushStream();

    EventLoop& loop_;
    int fd_;
    std::string peer_;
    State state_ = State::kReading;
    RequestParser parser_;
    Exchange exchange_;
    std::string pending_;  // received bytes not yet parsed (pipelined requests)
    std::size_t pending_pos_ = 0;
    std::string head_;
    std::size_t written_ = 0;  // of head_ + payload
    bool readable_ = false;
    bool writable_ = true;
    bool in_request_ = false;  // exchange_ holds a request being parsed or answered
    bool close_after_ = false;
    bool continue_sent_ = false;
    bool counted_ = false;
    std::uint32_t requests_ = 0;
    std::shared_ptr<ResponseStream> stream_;  // while streaming, head_ holds its queued bytes
    bool stream_ended_ = false;
};

}  // namespace portico::host::transport
