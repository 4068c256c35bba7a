#include "harness.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace fs = std::filesystem;

namespace portico::tests {

TempDir::TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "portico-test-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

std::string TempDir::write(const std::string& name, const std::string& text) const {
    fs::path p = fs::path(path_) / name;
    fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out << text;
    return p.string();
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string porticoBin() { return PORTICO_BIN; }
std::string pluginDir() { return PORTICO_PLUGIN_DIR; }
std::string fixtureDir() { return PORTICO_FIXTURE_DIR; }
std::string badDir(const std::string& id) { return std::string(PORTICO_BAD_DIR) + "/" + id; }
std::string sourceDir() { return PORTICO_SOURCE_DIR; }

Process::Process(const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& env, const std::string& cwd) {
    std::string out = dir_.path() + "/stdout", err = dir_.path() + "/stderr";
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int n = open("/dev/null", O_RDONLY);
        dup2(n, 0);
        dup2(o, 1);
        dup2(e, 2);
        if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(127);
        for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
        std::vector<char*> argv;
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
}

Process::~Process() {
    if (!exited_ && pid_ > 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
}

void Process::signal(int sig) const {
    if (!exited_) kill(pid_, sig);
}

int Process::wait(std::chrono::milliseconds timeout) {
    auto until = std::chrono::steady_clock::now() + timeout;
    while (!exited_) {
        int status = 0;
        pid_t r = waitpid(pid_, &status, WNOHANG);
        if (r == pid_) {
            exited_ = true;
            status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            break;
        }
        if (std::chrono::steady_clock::now() >= until) return -1;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return status_;
}

bool Process::running() { return wait(std::chrono::milliseconds(0)) == -1; }

std::string Process::out() const { return readFile(dir_.path() + "/stdout"); }
std::string Process::err() const { return readFile(dir_.path() + "/stderr"); }

bool Process::waitForOutput(const std::string& text, std::chrono::milliseconds timeout) {
    auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
        if (out().find(text) != std::string::npos || err().find(text) != std::string::npos) {
            return true;
        }
        if (!running())
            return out().find(text) != std::string::npos || err().find(text) != std::string::npos;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

RunResult runPortico(const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& env, const std::string& cwd) {
    std::vector<std::string> full{porticoBin()};
    full.insert(full.end(), args.begin(), args.end());
    Process p(full, env, cwd);
    int status = p.wait(std::chrono::seconds(60));
    return {status, p.out(), p.err()};
}

std::string testConfig(const TempDir& dir, const std::string& plugins_json,
                       const std::string& extra_top_level) {
    std::ostringstream c;
    c << "{\n"
      << "  \"listen\": {\"address\": \"127.0.0.1\", \"port\": 0},\n"
      << "  \"data_dir\": \"" << dir.path() << "/data\",\n"
      << "  \"log\": {\"level\": \"info\"},\n"
      << "  \"site\": {\"base_url\": \"http://localhost\"},\n"
      << "  \"plugin_dirs\": [\"" << pluginDir() << "\", \"" << fixtureDir()
      << "\"],\n"
      // The admin listener on a port of its own, so tests with admin routes run in parallel.
      << (extra_top_level.find("\"admin\"") == std::string::npos ? "  \"admin\": {\"port\": 0},\n"
                                                                 : "")
      << extra_top_level << (extra_top_level.empty() ? "" : ",\n")
      << "  \"plugins\": " << plugins_json << "\n}\n";
    return c.str();
}

Server::Server(const std::string& config_text, const std::map<std::string, std::string>& env,
               const std::vector<std::string>& extra_args) {
    config_ = dir_.write("portico.json", config_text);
    std::vector<std::string> args{porticoBin(), "serve", "--config", config_};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    process_ = std::make_unique<Process>(args, env, dir_.path());
    if (!process_->waitForOutput("portico listening on")) {
        throw std::runtime_error("portico did not start:\n" + process_->out() + process_->err());
    }
    std::smatch m;
    std::string out = process_->out();
    if (!std::regex_search(out, m, std::regex("listening on http://[^ ]*:([0-9]+)"))) {
        throw std::runtime_error("no port in output:\n" + out);
    }
    port_ = std::stoi(m[1]);
}

int Server::adminPort() {
    std::smatch m;
    const std::string out = process_->out();
    if (!std::regex_search(out, m, std::regex("admin listener on http://[^ ]*:([0-9]+)"))) {
        throw std::runtime_error("no admin port in output:\n" + out);
    }
    return std::stoi(m[1]);
}

Server::~Server() {
    if (process_ && process_->running()) {
        process_->signal(SIGTERM);
        process_->wait(std::chrono::seconds(15));
    }
}

std::string Response::header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
}

bool Response::has(const std::string& name) const { return headers.count(name) > 0; }

namespace {

int connectTo(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        close(fd);
        throw std::runtime_error("connect to port " + std::to_string(port) + " failed");
    }
    return fd;
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

std::string rawExchange(int port, const std::string& bytes, std::chrono::milliseconds timeout) {
    int fd = connectTo(port);
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += static_cast<std::size_t>(n);
    }
    std::string out;
    auto until = std::chrono::steady_clock::now() + timeout;
    char buf[65536];
    while (std::chrono::steady_clock::now() < until) {
        pollfd p{fd, POLLIN, 0};
        int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        until - std::chrono::steady_clock::now())
                                        .count());
        if (poll(&p, 1, std::max(left, 1)) <= 0) break;
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    close(fd);
    return out;
}

std::vector<Response> parseResponses(const std::string& raw, bool head) {
    std::vector<Response> list;
    std::size_t pos = 0;
    while (pos < raw.size()) {
        std::size_t end = raw.find("\r\n\r\n", pos);
        if (end == std::string::npos) break;
        std::istringstream lines(raw.substr(pos, end - pos));
        Response r;
        std::string line;
        std::getline(lines, line);
        std::istringstream status(line);
        std::string version;
        status >> version >> r.status;
        std::getline(status, r.reason);
        if (!r.reason.empty() && r.reason[0] == ' ') r.reason.erase(0, 1);
        if (!r.reason.empty() && r.reason.back() == '\r') r.reason.pop_back();
        while (std::getline(lines, line)) {
            if (!line.empty() && line.back() == '\r') line.pop_back();
            auto colon = line.find(':');
            if (colon == std::string::npos) continue;
            std::string value = line.substr(colon + 1);
            value.erase(0, value.find_first_not_of(" \t"));
            r.headers.emplace(lower(line.substr(0, colon)), value);
        }
        pos = end + 4;
        std::size_t length = 0;
        if (!head && r.status != 304 && r.status != 204 && r.has("content-length")) {
            length = std::stoul(r.header("content-length"));
        } else if (!head && r.status != 304 && r.status != 204 &&
                   lower(r.header("transfer-encoding")) == "chunked") {
            for (;;) {
                std::size_t eol = raw.find("\r\n", pos);
                if (eol == std::string::npos) break;
                std::size_t size = std::stoul(raw.substr(pos, eol - pos), nullptr, 16);
                pos = eol + 2;
                if (size == 0) {
                    pos += 2;
                    break;
                }
                r.body += raw.substr(pos, size);
                pos += size + 2;
            }
        }
        r.body += raw.substr(pos, length);
        pos += length;
        list.push_back(std::move(r));
    }
    return list;
}

Response request(int port, const std::string& method, const std::string& target,
                 const std::map<std::string, std::string>& headers, const std::string& body) {
    std::ostringstream req;
    req << method << " " << target << " HTTP/1.1\r\n";
    if (!headers.count("Host")) req << "Host: localhost\r\n";
    for (const auto& [k, v] : headers) req << k << ": " << v << "\r\n";
    if (!body.empty() || method == "POST") req << "Content-Length: " << body.size() << "\r\n";
    req << "Connection: close\r\n\r\n" << body;
    auto list = parseResponses(rawExchange(port, req.str()), method == "HEAD");
    if (list.empty()) throw std::runtime_error("no response to " + method + " " + target);
    return list.front();
}

int freePort() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    close(fd);
    return ntohs(addr.sin_port);
}

Client::Client(int port, int rcvbuf, const std::string& source) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (rcvbuf > 0) setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    if (!source.empty()) {
        sockaddr_in local{};
        local.sin_family = AF_INET;
        inet_pton(AF_INET, source.c_str(), &local.sin_addr);
        if (::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) return;
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
}

Client::~Client() { ::close(fd_); }

bool Client::send(const std::string& bytes) {
    std::size_t off = 0;
    while (off < bytes.size()) {
        ssize_t n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
        if (n <= 0) return false;
        off += static_cast<std::size_t>(n);
    }
    return true;
}

bool Client::readSome(std::chrono::milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return true;
    char buf[65536];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
        closed_ = true;
        return false;
    }
    data_.append(buf, static_cast<std::size_t>(n));
    return true;
}

std::vector<Response> Client::responses(std::size_t count, bool head,
                                        std::chrono::milliseconds timeout) {
    auto until = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        auto parsed = parseResponses(data_, head);
        if (parsed.size() >= count || closed_ || std::chrono::steady_clock::now() >= until) {
            return parsed;
        }
        readSome(std::chrono::milliseconds(50));
    }
}

bool Client::closesWithin(std::chrono::milliseconds timeout) {
    auto until = std::chrono::steady_clock::now() + timeout;
    while (!closed_ && std::chrono::steady_clock::now() < until) {
        readSome(std::chrono::milliseconds(50));
    }
    return closed_;
}

std::map<std::string, std::string> shippedEnv(const TempDir& dir, int port) {
    return {{"PORTICO_PORT", std::to_string(port)},
            {"PORTICO_ADDRESS", "127.0.0.1"},
            {"PORTICO_ADMIN_PORT", "0"},
            {"PORTICO_DATA_DIR", dir.path() + "/data"},
            {"SITE_URL", "http://localhost:8080"},
            {"CONTACT_SECRET", ""}};
}

std::unique_ptr<Process> serveShipped(const TempDir& dir, int port) {
    auto p = std::make_unique<Process>(
        std::vector<std::string>{porticoBin(), "serve", "--config", "config/portico.json"},
        shippedEnv(dir, port), sourceDir());
    if (!p->waitForOutput("portico listening on")) {
        throw std::runtime_error("portico did not start:\n" + p->out() + p->err());
    }
    return p;
}

}  // namespace portico::tests
