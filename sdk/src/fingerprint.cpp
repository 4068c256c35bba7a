#include "portico/sdk/fingerprint.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/SHA1Engine.h>

#include <stdexcept>

namespace portico::sdk {

std::string contentFingerprint(std::string_view bytes, std::size_t length) {
    if (length < 1 || length > 40) {
        throw std::invalid_argument("contentFingerprint: length must be 1 to 40, got " +
                                    std::to_string(length));
    }
    Poco::SHA1Engine engine;
    engine.update(bytes.data(), static_cast<unsigned>(bytes.size()));
    return Poco::DigestEngine::digestToHex(engine.digest()).substr(0, length);
}

std::string fingerprintedName(std::string_view path, std::string_view fingerprint) {
    const auto segment = path.rfind('/') == std::string_view::npos ? 0 : path.rfind('/') + 1;
    const auto dot = path.rfind('.');
    std::string out;
    out.reserve(path.size() + fingerprint.size() + 1);
    if (dot == std::string_view::npos || dot <= segment) {  // no extension, or a dot file
        out.append(path).append(".").append(fingerprint);
        return out;
    }
    out.append(path.substr(0, dot)).append(".").append(fingerprint).append(path.substr(dot));
    return out;
}

}  // namespace portico::sdk
