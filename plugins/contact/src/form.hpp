#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

namespace portico::plugins::contact {

inline constexpr std::size_t kMaxName = 200;  ///< characters (code points)
inline constexpr std::size_t kMaxCompany = 200;
inline constexpr std::size_t kMaxEmail = 254;
inline constexpr std::size_t kMaxMessage = 5000;
inline constexpr std::size_t kMaxBodyBytes = 16 * 1024;

/// What the visitor sent.
struct FormInput {
    std::string name;
    std::string email;
    std::string company;
    std::string message;
    bool consent = false;
    std::string website;  ///< the honeypot: people never see it, bots fill it in
    std::string token;
};

/// Parses an application/x-www-form-urlencoded body. Unknown fields are ignored; a repeated
/// field keeps its last value. Values are trimmed of surrounding blanks (not `message`'s
/// inner line breaks). Pure.
FormInput parseForm(std::string_view body);

/// Problems by field ("name", "email", "company", "message", "consent"; "form" for the whole
/// form) as message keys of strings.hpp, e.g. {"email", "email_invalid"}. Empty: valid.
/// Single-line fields refuse every control character ("name_controls", ...); the message
/// keeps tabs and line breaks only ("message_controls"). Pure.
std::map<std::string, std::string> validateForm(const FormInput& input);

/// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points > U+10FFFF).
bool isValidUtf8(std::string_view text);

/// Number of code points in valid UTF-8.
std::size_t utf8Length(std::string_view text);

/// What `hasControls` lets through.
enum class Lines { kOne, kMany };

/// True when valid UTF-8 `text` holds a control character: C0 (U+0000..U+001F), DEL, C1
/// (U+0080..U+009F), U+2028 or U+2029. With `Lines::kMany`, tabs and line breaks (LF, or CR
/// directly before LF) are allowed. Pure.
bool hasControls(std::string_view text, Lines lines);

/// `text` on one line: every control character as `hasControls` counts them (CR and LF too)
/// becomes a space; invalid UTF-8 bytes become U+FFFD. For mail headers. Pure.
std::string oneLine(std::string_view text);

}  // namespace portico::plugins::contact
