#include "connection.hpp"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>

#include "event_loop.hpp"
#include "pipeline.hpp"

namespace portico::host::transport {
namespace {

bool bodiless(int status) { return status < 200 || status == 204 || status == 304; }

}  // namespace

Connection::Connection(EventLoop& loop, int fd, std::string peer)
    : loop_(loop), fd_(fd), peer_(std::move(peer)), parser_(loop.shared().limits()) {
    head_.reserve(512);
}

Connection::~Connection() {
    if (stream_) stream_->detach();
    if (fd_ >= 0) ::close(fd_);
}

void Connection::onEvents(std::uint32_t events) {
    if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) writable_ = true;
    if (events & (EPOLLIN | EPOLLRDHUP | EPOLLERR | EPOLLHUP)) readable_ = true;
    if (state_ == State::kWriting && writable_) {
        int r = flushOut();
        if (r != 0) finish(r > 0);
    } else if (state_ == State::kStreaming && writable_ && written_ < head_.size()) {
        flushStream();
    }
    drive();
}

void Connection::drive() {
    for (;;) {
        if (state_ == State::kReading) {
            if (pending_pos_ < pending_.size()) {
                std::size_t used = 0;
                consume(pending_.data() + pending_pos_, pending_.size() - pending_pos_, used);
                pending_pos_ += used;
                if (pending_pos_ >= pending_.size()) {
                    pending_.clear();
                    pending_pos_ = 0;
                }
                continue;
            }
            if (!readable_) return;
            char* buf = loop_.readBuffer();
            ssize_t n = ::recv(fd_, buf, loop_.readBufferSize(), 0);
            if (n > 0) {
                // A short read emptied the socket; with edge-triggered epoll the next byte
                // brings a new event, so asking again would only cost an EAGAIN system call
                // (every other request did so).
                if (static_cast<std::size_t>(n) < loop_.readBufferSize()) readable_ = false;
                std::size_t used = 0;
                consume(buf, static_cast<std::size_t>(n), used);
                if (used < static_cast<std::size_t>(n) && state_ != State::kClosed &&
                    state_ != State::kLinger) {
                    pending_.append(buf + used, static_cast<std::size_t>(n) - used);
                }
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                readable_ = false;
                return;
            }
            close();  // the peer closed or the connection failed
            return;
        }
        if (state_ == State::kLinger || state_ == State::kStreaming) {
            if (!readable_) return;
            ssize_t n = ::recv(fd_, loop_.readBuffer(), loop_.readBufferSize(), 0);
            if (n > 0 || (n < 0 && errno == EINTR)) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                readable_ = false;
                return;
            }
            close();
            return;
        }
        return;  // busy, writing or closed
    }
}

void Connection::consume(const char* data, std::size_t size, std::size_t& used) {
    if (!in_request_) {
        parser_.reset(exchange_.request);
        exchange_.request.client_address = peer_;  // the parser may replace it (trusted proxies)
        in_request_ = true;
        continue_sent_ = false;
        exchange_.started = Clock::now();
    }
    if (tlist == kIdleTimer) loop_.setTimer(*this, kHeaderTimer);
    auto result = parser_.feed(data, size, used);
    switch (result) {
        case RequestParser::Result::kNeedMore:
            if (parser_.headersComplete() && tlist == kHeaderTimer) {
                loop_.setTimer(*this, kBodyTimer);
            }
            if (parser_.expectsContinue() && !continue_sent_) {
                static const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
                [[maybe_unused]] auto n =
                    ::send(fd_, kContinue, sizeof kContinue - 1, MSG_NOSIGNAL);
                continue_sent_ = true;
            }
            return;
        case RequestParser::Result::kComplete:
            dispatch();
            return;
        case RequestParser::Result::kError:
            used = size;
            fail(parser_.errorStatus(), parser_.errorDetail());
            return;
    }
}

void Connection::dispatch() {
    loop_.clearTimer(*this);
    state_ = State::kBusy;
    ++requests_;
    auto& shared = loop_.shared();
    exchange_.admin = shared.admin;
    close_after_ = !parser_.keepAlive();
    if (shared.pool && !parser_.runsInline()) {
        if (!shared.pool->submit(this)) fail(503, "the server is busy");
        return;
    }
    shared.sink.handle(exchange_);
    prepare();
    startWrite();
}

void Connection::run() noexcept {
    loop_.shared().sink.handle(exchange_);
    prepare();
    loop_.post(this);
}

void Connection::onHandled() {
    if (state_ == State::kStreaming) {
        pumpStream();  // the stream queued bytes
    } else if (state_ == State::kBusy) {
        startWrite();  // a worker answered the request
    }
    drive();
}

void Connection::prepare() noexcept {
    auto& res = exchange_.response;
    if (exchange_.payload.empty() && !res.body.empty() && !res.resource) {
        exchange_.payload = res.body;
    }
    if (bodiless(res.status)) exchange_.payload = {};
    if (exchange_.stream) {
        if (exchange_.head) {
            exchange_.stream.reset();  // a HEAD gets the head, with no stream behind it
        } else {
            close_after_ = true;  // the body ends with the connection
        }
    }
    for (const auto& field : res.headers.fields()) {
        if (sdk::iequals(field.first, "Connection") && sdk::iequals(field.second, "close")) {
            close_after_ = true;
        }
    }
    const auto& shared = loop_.shared();
    if (shared.draining() || requests_ >= shared.server.max_keep_alive_requests ||
        shared.server.keep_alive_timeout_ms == 0) {
        close_after_ = true;
    }
    Persistence persistence = Persistence::kKeepAlive;
    if (close_after_) {
        persistence = Persistence::kClose;
    } else if (exchange_.request.version == "HTTP/1.0") {
        persistence = Persistence::kKeepAlive10;
    }
    try {
        writeHead(head_, exchange_, persistence);
    } catch (...) {
        head_.clear();  // out of memory: the connection closes without an answer
        close_after_ = true;
    }
    written_ = 0;
}

void Connection::startWrite() {
    state_ = State::kWriting;
    if (head_.empty()) {
        finish(false);
        return;
    }
    int r = flushOut();
    if (r == 0) {
        loop_.setTimer(*this, kSendTimer);
    } else {
        finish(r > 0);
    }
}

int Connection::flushOut() {
    std::size_t body = exchange_.head ? 0 : exchange_.payload.size();
    std::size_t total = head_.size() + body;
    while (written_ < total) {
        iovec iov[2];
        int count = 0;
        if (written_ < head_.size()) {
            iov[count++] = {head_.data() + written_, head_.size() - written_};
            if (body) iov[count++] = {const_cast<char*>(exchange_.payload.data()), body};
        } else {
            std::size_t off = written_ - head_.size();
            iov[count++] = {const_cast<char*>(exchange_.payload.data()) + off, body - off};
        }
        msghdr msg{};
        msg.msg_iov = iov;
        msg.msg_iovlen = static_cast<std::size_t>(count);
        ssize_t n = ::sendmsg(fd_, &msg, MSG_NOSIGNAL);
        if (n > 0) {
            written_ += static_cast<std::size_t>(n);
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            writable_ = false;
            return 0;
        } else {
            return -1;
        }
    }
    return 1;
}

void Connection::finish(bool written) {
    loop_.clearTimer(*this);
    auto& shared = loop_.shared();
    exchange_.completion.bytes_sent = written && !exchange_.head ? exchange_.payload.size() : 0;
    exchange_.completion.duration = Clock::now() - exchange_.started;
    // A stream's request is complete once its head is out (logs, metrics): the connection then
    // holds no config generation, so a reload or shutdown never waits for a stream.
    std::shared_ptr<ResponseStream> stream = written ? std::move(exchange_.stream) : nullptr;
    exchange_.stream.reset();
    shared.sink.complete(exchange_);
    exchange_.response = sdk::Response();
    exchange_.payload = {};
    exchange_.completion = sdk::Completion();
    exchange_.generation.reset();
    exchange_.head = false;
    in_request_ = false;
    if (!written) {
        close();
    } else if (stream && !shared.draining()) {
        startStream(std::move(stream));
    } else if (close_after_) {
        linger();
    } else {
        state_ = State::kReading;
        loop_.setTimer(*this, kIdleTimer);
    }
}

void Connection::fail(int status, const std::string& detail) {
    loop_.clearTimer(*this);
    auto& shared = loop_.shared();
    exchange_.admin = shared.admin;
    if (!in_request_ || !parser_.headersComplete()) exchange_.request.client_address = peer_;
    exchange_.head = exchange_.request.method == "HEAD";
    exchange_.response = sdk::Response();
    setError(exchange_.response, status, detail);
    exchange_.payload = exchange_.response.body;
    close_after_ = true;
    prepare();
    startWrite();
}

void Connection::refuse(int status, const std::string& detail) {
    in_request_ = true;
    exchange_.started = Clock::now();
    fail(status, detail);
    drive();
}

void Connection::linger() {
    // Closing with unread input would reset the connection and could destroy the answer
    // before the client read it: half-close, then discard input for a moment.
    state_ = State::kLinger;
    pending_.clear();
    pending_pos_ = 0;
    ::shutdown(fd_, SHUT_WR);
    readable_ = true;
    loop_.setTimer(*this, kLingerTimer);
}

void Connection::onDeadline() {
    if (state_ == State::kReading) {
        if (in_request_ && parser_.started()) {
            fail(408, parser_.headersComplete() ? "the request body took too long"
                                                : "the request header took too long");
        } else {
            close();  // idle keep-alive connection or a client that never spoke
        }
    } else if (state_ == State::kWriting) {
        finish(false);  // send timeout
    } else if (state_ == State::kLinger) {
        close();
    } else if (state_ == State::kStreaming) {
        if (written_ < head_.size()) {
            close();  // send timeout: the client stopped reading
        } else {
            head_ = ": keep-alive\n\n";
            written_ = 0;
            flushStream();
        }
    }
    drive();
}

void Connection::onDraining() {
    if (state_ == State::kStreaming) {
        close();  // the browser reconnects to whichever server serves next
        return;
    }
    if (state_ != State::kReading || (in_request_ && parser_.started()) ||
        pending_pos_ < pending_.size()) {
        return;
    }
    readable_ = true;  // a request may have arrived just now: serve it rather than reset it
    drive();
    if (state_ == State::kReading && !(in_request_ && parser_.started()) &&
        pending_pos_ >= pending_.size()) {
        close();
    }
}

void Connection::startStream(std::shared_ptr<ResponseStream> stream) {
    state_ = State::kStreaming;
    head_.clear();
    written_ = 0;
    stream_ = std::move(stream);
    readable_ = true;  // input is read and discarded, so a client that goes is noticed
    loop_.setTimer(*this, kStreamTimer);
    stream_->attach([this] { loop_.post(this); });
}

void Connection::pumpStream() {
    bool ended = false;
    head_ += stream_->take(ended);  // after what is still unwritten, if anything
    stream_ended_ = stream_ended_ || ended;
    flushStream();
}

// A stream's bytes go through head_ (its body is empty once the head is out), so they are
// written like any response.
void Connection::flushStream() {
    if (head_.size() - written_ > kStreamBacklog) {
        close();  // a client that does not read gets no unbounded queue
        return;
    }
    const int r = flushOut();
    if (r < 0) {
        close();
        return;
    }
    if (r == 0) {
        if (tlist != kSendTimer) loop_.setTimer(*this, kSendTimer);
        return;
    }
    head_.clear();
    written_ = 0;
    if (stream_ended_) {
        stream_->detach();
        stream_.reset();
        loop_.unpost(*this);
        linger();
        return;
    }
    loop_.setTimer(*this, kStreamTimer);
}

void Connection::close() {
    if (state_ == State::kClosed) return;
    state_ = State::kClosed;
    if (stream_) {
        stream_->detach();
        stream_.reset();
        loop_.unpost(*this);  // a wake-up queued before detach() must not reach a freed object
    }
    loop_.retire(*this, fd_);
    ::close(fd_);
    fd_ = -1;
}

}  // namespace portico::host::transport
