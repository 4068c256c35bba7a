#pragma once

#include <string>

namespace portico::plugins::contact {

/// The secret kept in `path`: read when the file exists (it must hold at least
/// kMinSecretLength characters), else 32 random bytes as hex written there with mode 0600.
/// Two processes racing on one data directory end up with the same secret (the file is linked
/// into place only if absent). `created` tells whether this call wrote it. Throws
/// std::runtime_error "contact secret: PATH: cause".
std::string loadOrCreateSecret(const std::string& path, bool& created);

}  // namespace portico::plugins::contact
