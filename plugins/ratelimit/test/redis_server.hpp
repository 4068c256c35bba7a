#pragma once

// A throwaway redis-server for tests: loopback, a port that was free a moment ago, no
// persistence, in a temporary folder; started and stopped by PID.
#include <Poco/Redis/Array.h>
#include <Poco/Redis/Client.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace portico::plugins::ratelimit::test {

inline int freePort() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        close(fd);
        throw std::runtime_error("freePort: cannot bind");
    }
    close(fd);
    return ntohs(addr.sin_port);
}

class RedisServer {
public:
    explicit RedisServer(int port = freePort()) : port_(port) {
        char tmpl[] = "/tmp/portico-redis-XXXXXX";
        if (!mkdtemp(tmpl)) throw std::runtime_error("RedisServer: mkdtemp failed");
        dir_ = tmpl;
        start();
    }
    ~RedisServer() {
        stop();
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }
    RedisServer(const RedisServer&) = delete;
    RedisServer& operator=(const RedisServer&) = delete;

    int port() const { return port_; }
    std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_) + "/0"; }

    /// Starts redis-server and waits until it answers PING (up to 10 s).
    void start() {
        const std::string port = std::to_string(port_);
        std::vector<std::string> args{
            PORTICO_REDIS_SERVER, "--port", port,    "--bind", "127.0.0.1", "--save",           "",
            "--appendonly",       "no",     "--dir", dir_,     "--logfile", dir_ + "/redis.log"};
        pid_ = fork();
        if (pid_ < 0) throw std::runtime_error("RedisServer: fork failed");
        if (pid_ == 0) {
            std::vector<char*> argv;
            for (auto& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            execv(argv[0], argv.data());
            _exit(127);
        }
        auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (std::chrono::steady_clock::now() < until) {
            try {
                Poco::Redis::Client client("127.0.0.1", port_);
                Poco::Redis::Array ping;
                ping << "PING";
                if (client.execute<std::string>(ping) == "PONG") return;
            } catch (const Poco::Exception&) {
            }
            int status = 0;
            if (waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                throw std::runtime_error("RedisServer: " + args[0] + " exited (status " +
                                         std::to_string(status) + ")");
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        throw std::runtime_error("RedisServer: no PONG on port " + port);
    }

    /// Stops the server (SIGTERM, then waits for it).
    void stop() {
        if (pid_ <= 0) return;
        kill(pid_, SIGTERM);
        waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }

private:
    int port_;
    std::string dir_;
    pid_t pid_ = -1;
};

}  // namespace portico::plugins::ratelimit::test
