#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace portico::tests {

/// A fresh temporary directory, removed with everything in it on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }
    /// Writes `text` to `name` inside the directory and returns the full path.
    std::string write(const std::string& name, const std::string& text) const;

private:
    std::string path_;
};

std::string readFile(const std::string& path);

/// Paths of the build, from compile definitions.
std::string porticoBin();
std::string pluginDir();
std::string fixtureDir();
std::string badDir(const std::string& id);
std::string sourceDir();

/// A child process with stdout and stderr captured to files.
class Process {
public:
    Process(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
            const std::string& cwd);
    ~Process();  // SIGKILL if still running
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    pid_t pid() const { return pid_; }
    void signal(int sig) const;
    /// Waits for exit up to `timeout`; returns the exit status, or -1 on timeout
    /// (128 + signal number when killed by a signal).
    int wait(std::chrono::milliseconds timeout = std::chrono::seconds(30));
    bool running();
    std::string out() const;
    std::string err() const;
    /// Waits until stdout or stderr contains `text`; true when it did before `timeout`.
    bool waitForOutput(const std::string& text,
                       std::chrono::milliseconds timeout = std::chrono::seconds(20));

private:
    TempDir dir_;
    pid_t pid_ = -1;
    int status_ = -1;
    bool exited_ = false;
};

/// The result of running portico to completion.
struct RunResult {
    int status;
    std::string out;
    std::string err;
};

/// Runs `portico <args>` in `cwd` with `env` added to the environment, up to 60 s.
RunResult runPortico(const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& env = {},
                     const std::string& cwd = {});

/// A JSON config for tests: listens on 127.0.0.1 port 0 (the admin listener too, unless
/// `extra_top_level` has an "admin" block), data in `dir`, plugin_dirs set to
/// the real plugins and the fixtures, and `plugins_json` as the plugins object.
std::string testConfig(const TempDir& dir, const std::string& plugins_json,
                       const std::string& extra_top_level = "");

/// The environment that runs the shipped config/portico.json on 127.0.0.1:`port` (admin port
/// 0, data under `dir`, SITE_URL http://localhost:8080, no CONTACT_SECRET).
std::map<std::string, std::string> shippedEnv(const TempDir& dir, int port);

/// `portico serve --config config/portico.json` from the source tree with shippedEnv(); throws
/// with the output when it does not start.
std::unique_ptr<Process> serveShipped(const TempDir& dir, int port);

/// A running `portico serve` with a config file; waits until it listens and reads the port.
class Server {
public:
    /// Starts `portico serve --config <file> <extra_args...>` and waits until it listens.
    Server(const std::string& config_text, const std::map<std::string, std::string>& env = {},
           const std::vector<std::string>& extra_args = {});
    ~Server();
    int port() const { return port_; }
    /// The admin listener's port, read from the "admin listener on http://...:PORT" line;
    /// throws when the server printed none.
    int adminPort();
    Process& process() { return *process_; }
    const TempDir& dir() const { return dir_; }
    std::string configFile() const { return config_; }

private:
    TempDir dir_;
    std::string config_;
    std::unique_ptr<Process> process_;
    int port_ = 0;
};

/// A parsed HTTP response.
struct Response {
    int status = 0;
    std::string reason;
    std::multimap<std::string, std::string> headers;  // names lower-cased
    std::string body;
    std::string header(const std::string& name) const;  // first value or ""
    bool has(const std::string& name) const;
};

/// Sends one request on a new connection and reads one response.
Response request(int port, const std::string& method, const std::string& target,
                 const std::map<std::string, std::string>& headers = {},
                 const std::string& body = {});

/// Writes raw bytes to a new connection and reads until the peer closes or `timeout` passes.
std::string rawExchange(int port, const std::string& bytes,
                        std::chrono::milliseconds timeout = std::chrono::seconds(5));

/// Parses every response in `raw` (for pipelined answers). HEAD responses need `head`.
std::vector<Response> parseResponses(const std::string& raw, bool head = false);

/// A port that was free a moment ago (bound and released).
int freePort();

/// A raw client connection over loopback with bounded waits, from `source` (127.0.0.2 and up
/// play other clients; empty: the kernel's choice, 127.0.0.1).
class Client {
public:
    explicit Client(int port, int rcvbuf = 0, const std::string& source = "");
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;
    bool connected() const { return connected_; }

    bool send(const std::string& bytes);
    /// Reads whatever arrives within `timeout`; false on EOF or error (`closed()` then true).
    bool readSome(std::chrono::milliseconds timeout);
    /// Reads until `count` complete responses arrived, the peer closed, or `timeout`.
    std::vector<Response> responses(std::size_t count, bool head = false,
                                    std::chrono::milliseconds timeout = std::chrono::seconds(10));
    /// True when the server closes the connection within `timeout`.
    bool closesWithin(std::chrono::milliseconds timeout);
    bool closed() const { return closed_; }
    const std::string& data() const { return data_; }
    void clear() { data_.clear(); }

private:
    int fd_ = -1;
    bool connected_ = false;
    bool closed_ = false;
    std::string data_;
};

}  // namespace portico::tests
