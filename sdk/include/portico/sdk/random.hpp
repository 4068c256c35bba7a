#pragma once

#include <cstddef>
#include <string>

namespace portico::sdk {

/// `bytes` random bytes from the system's CSPRNG (std::random_device: /dev/urandom on Linux)
/// as 2 * `bytes` lower-case hex digits: for ids, nonces, salts and generated secrets. Any
/// thread; throws std::runtime_error when no random source can be opened.
std::string randomHex(std::size_t bytes);

}  // namespace portico::sdk
