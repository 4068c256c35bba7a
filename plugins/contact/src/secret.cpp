#include "secret.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "config.hpp"
#include "portico/sdk/random.hpp"

namespace portico::plugins::contact {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& why) {
    throw std::runtime_error("contact secret: " + path + ": " + why);
}

std::string readSecret(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(path, "cannot read");
    std::ostringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    if (s.size() < kMinSecretLength) {
        fail(path, "holds " + std::to_string(s.size()) + " characters, at least " +
                       std::to_string(kMinSecretLength) + " are needed (delete it to regenerate)");
    }
    return s;
}

}  // namespace

std::string loadOrCreateSecret(const std::string& path, bool& created) {
    created = false;
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) return readSecret(path);
    const std::string secret = sdk::randomHex(32);
    const std::string tmp = path + ".tmp." + std::to_string(::getpid());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) fail(tmp, std::strerror(errno));
    const std::string line = secret + "\n";
    const bool written =
        ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
        ::fsync(fd) == 0;
    const int saved = errno;
    ::close(fd);
    if (!written) {
        ::unlink(tmp.c_str());
        fail(tmp, std::strerror(saved));
    }
    // link() fails with EEXIST when another process won the race: use its secret.
    const int linked = ::link(tmp.c_str(), path.c_str());
    const int link_errno = errno;
    ::unlink(tmp.c_str());
    if (linked != 0) {
        if (link_errno == EEXIST) return readSecret(path);
        fail(path, std::strerror(link_errno));
    }
    created = true;
    return secret;
}

}  // namespace portico::plugins::contact
