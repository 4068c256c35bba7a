#include <atomic>
#include <exception>
#include <stdexcept>

#include "portico/testkit/test_host.hpp"

namespace portico::testkit {

using std::chrono::steady_clock;
using std::chrono::system_clock;

system_clock::time_point FakeClock::startTime() {
    return system_clock::time_point(std::chrono::seconds(1767225600));  // 2026-01-01T00:00:00Z
}

// The monotonic origin is arbitrary but fixed, so tests are reproducible.
FakeClock::FakeClock()
    : wall_(startTime()), mono_(steady_clock::time_point(std::chrono::hours(1))) {}

system_clock::time_point FakeClock::now() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return wall_;
}

steady_clock::time_point FakeClock::monotonic() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return mono_;
}

void FakeClock::advance(steady_clock::duration by) {
    std::lock_guard<std::mutex> lock(mutex_);
    mono_ += by;
    wall_ += std::chrono::duration_cast<system_clock::duration>(by);
}

ManualScheduler::ManualScheduler(const FakeClock& clock) : clock_(clock) {}

void ManualScheduler::every(std::string name, std::chrono::milliseconds interval,
                            std::function<void()> task) {
    if (interval.count() <= 0) {
        throw std::invalid_argument("scheduler task '" + name + "': interval must be positive");
    }
    if (!task) throw std::invalid_argument("scheduler task '" + name + "': empty task");
    auto entry = std::make_shared<Task>();
    entry->name = std::move(name);
    entry->interval = interval;
    entry->fn = std::move(task);
    entry->next = clock_.monotonic() + interval;
    std::lock_guard<std::mutex> lock(mutex_);
    tasks_.push_back(std::move(entry));
}

std::size_t ManualScheduler::runDue() {
    std::vector<std::shared_ptr<Task>> due;
    const auto now = clock_.monotonic();
    {
        std::lock_guard<std::mutex> lock(mutex_);
        for (const auto& task : tasks_) {
            if (task->next > now) continue;
            while (task->next <= now) task->next += task->interval;
            due.push_back(task);
        }
    }
    // Tasks run without the lock so that they may look at the scheduler themselves.
    for (const auto& task : due) {
        try {
            task->fn();
        } catch (const std::exception& e) {
            std::lock_guard<std::mutex> lock(mutex_);
            errors_.push_back(task->name + ": " + e.what());
        } catch (...) {
            std::lock_guard<std::mutex> lock(mutex_);
            errors_.push_back(task->name + ": unknown exception");
        }
    }
    return due.size();
}

std::vector<std::string> ManualScheduler::taskNames() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::string> names;
    for (const auto& task : tasks_) names.push_back(task->name);
    return names;
}

std::vector<std::string> ManualScheduler::errors() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return errors_;
}

void ManualScheduler::clear() {
    std::vector<std::shared_ptr<Task>> dropped;
    std::lock_guard<std::mutex> lock(mutex_);
    dropped.swap(tasks_);
}

namespace {

std::atomic<unsigned long> next_request_id{1};

}  // namespace

RequestBuilder::RequestBuilder(std::string method, std::string target) {
    request_.method = std::move(method);
    request_.target = std::move(target);
    request_.version = "HTTP/1.1";
    request_.client_address = "127.0.0.1";
}

RequestBuilder& RequestBuilder::header(std::string name, std::string value) {
    request_.headers.add(std::move(name), std::move(value));
    return *this;
}

RequestBuilder& RequestBuilder::body(std::string body) {
    request_.body = std::move(body);
    return *this;
}

RequestBuilder& RequestBuilder::client(std::string address) {
    request_.client_address = std::move(address);
    return *this;
}

RequestBuilder& RequestBuilder::requestId(std::string id) {
    request_.request_id = std::move(id);
    return *this;
}

sdk::Request RequestBuilder::build() const {
    sdk::Request request = request_;
    const auto question = request.target.find('?');
    const std::string raw_path = request.target.substr(0, question);
    request.query = question == std::string::npos ? "" : request.target.substr(question + 1);
    request.path = sdk::percentDecode(raw_path);
    if (!request.headers.has("Host")) request.headers.add("Host", "localhost");
    request.host = sdk::hostWithoutPort(request.headers.getOr("Host", "localhost"));
    if (request.host.empty()) request.host = "localhost";
    if (!request.body.empty() && !request.headers.has("Content-Length")) {
        request.headers.add("Content-Length", std::to_string(request.body.size()));
    }
    if (request.request_id.empty()) {
        // As the host: the client's X-Request-Id when it is sane, else a generated one.
        const std::string* sent = request.headers.find("X-Request-Id");
        request.request_id = sent && sdk::isSaneRequestId(*sent)
                                 ? *sent
                                 : "test-" + std::to_string(next_request_id.fetch_add(1));
    }
    return request;
}

}  // namespace portico::testkit
