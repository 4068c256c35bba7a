#pragma once

#include <Poco/DigestEngine.h>
#include <Poco/SHA1Engine.h>

#include <string>

namespace portico::plugins::pages {

/// The first `length` hex digits of the SHA-1 of `bytes`: a stable fingerprint for asset names
/// and content change detection (not for security).
inline std::string shortHash(const std::string& bytes, std::size_t length = 10) {
    Poco::SHA1Engine engine;
    engine.update(bytes);
    return Poco::DigestEngine::digestToHex(engine.digest()).substr(0, length);
}

}  // namespace portico::plugins::pages
