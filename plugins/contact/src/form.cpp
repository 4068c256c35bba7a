#include "form.hpp"

#include <tuple>

#include "portico/sdk/http.hpp"

namespace portico::plugins::contact {

namespace {

std::string trimmed(std::string text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return "";
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

bool plausibleEmail(const std::string& email) {
    const auto at = email.find('@');
    if (at == std::string::npos || at == 0 || email.find('@', at + 1) != std::string::npos) {
        return false;
    }
    const std::string domain = email.substr(at + 1);
    const auto dot = domain.find('.');
    if (dot == std::string::npos || dot == 0 || domain.back() == '.') return false;
    for (unsigned char c : email) {
        if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';') return false;
    }
    return true;
}

constexpr char32_t kNotUtf8 = 0xFFFFFFFF;

// The code point at `i` and its length in bytes; kNotUtf8 (length 1) for a byte that does not
// start a valid sequence.
char32_t codePoint(std::string_view text, std::size_t i, std::size_t& len) {
    const auto c = static_cast<unsigned char>(text[i]);
    len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
    if (len == 1) return c;
    if (i + len > text.size() || !isValidUtf8(text.substr(i, len))) {
        len = 1;
        return kNotUtf8;
    }
    char32_t cp = c & (0x7F >> len);
    for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (text[i + k] & 0x3F);
    return cp;
}

bool isControl(char32_t cp) {
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029;
}

}  // namespace

bool hasControls(std::string_view text, Lines lines) {
    for (std::size_t i = 0, len = 0; i < text.size(); i += len) {
        const char32_t cp = codePoint(text, i, len);
        if (!isControl(cp)) continue;
        if (lines == Lines::kMany &&
            (cp == '\t' || cp == '\n' || (cp == '\r' && text.substr(i + 1, 1) == "\n"))) {
            continue;
        }
        return true;
    }
    return false;
}

std::string oneLine(std::string_view text) {
    std::string out;
    for (std::size_t i = 0, len = 0; i < text.size(); i += len) {
        const char32_t cp = codePoint(text, i, len);
        if (cp == kNotUtf8) {
            out += "\xEF\xBF\xBD";  // U+FFFD
        } else {
            out += isControl(cp) ? std::string_view(" ") : text.substr(i, len);
        }
    }
    return out;
}

FormInput parseForm(std::string_view body) {
    FormInput input;
    std::size_t start = 0;
    while (start <= body.size()) {
        std::size_t end = body.find('&', start);
        if (end == std::string_view::npos) end = body.size();
        const std::string_view pair = body.substr(start, end - start);
        const std::size_t eq = pair.find('=');
        const std::string key = sdk::percentDecode(pair.substr(0, eq), true);
        const std::string value =
            eq == std::string_view::npos ? "" : sdk::percentDecode(pair.substr(eq + 1), true);
        if (key == "name")
            input.name = trimmed(value);
        else if (key == "email")
            input.email = trimmed(value);
        else if (key == "company")
            input.company = trimmed(value);
        else if (key == "message")
            input.message = trimmed(value);
        else if (key == "consent")
            input.consent = !value.empty();
        else if (key == "website")
            input.website = value;
        else if (key == "token")
            input.token = value;
        start = end + 1;
    }
    return input;
}

std::map<std::string, std::string> validateForm(const FormInput& in) {
    std::map<std::string, std::string> problems;
    for (const std::string* text : {&in.name, &in.email, &in.company, &in.message}) {
        if (!isValidUtf8(*text)) {
            problems["form"] = "invalid_utf8";
            return problems;
        }
    }
    if (in.name.empty()) {
        problems["name"] = "name_required";
    } else if (utf8Length(in.name) > kMaxName) {
        problems["name"] = "name_too_long";
    }
    if (in.email.empty()) {
        problems["email"] = "email_required";
    } else if (in.email.size() > kMaxEmail || !plausibleEmail(in.email)) {
        problems["email"] = "email_invalid";
    }
    if (utf8Length(in.company) > kMaxCompany) problems["company"] = "company_too_long";
    if (in.message.empty()) {
        problems["message"] = "message_required";
    } else if (utf8Length(in.message) > kMaxMessage) {
        problems["message"] = "message_too_long";
    }
    if (!in.consent) problems["consent"] = "consent_required";
    // Control characters first: they are what the visitor must fix before anything else.
    const std::tuple<const char*, const std::string*, Lines> texts[] = {
        {"name", &in.name, Lines::kOne},
        {"email", &in.email, Lines::kOne},
        {"company", &in.company, Lines::kOne},
        {"message", &in.message, Lines::kMany}};
    for (const auto& [field, text, lines] : texts) {
        if (hasControls(*text, lines)) problems[field] = std::string(field) + "_controls";
    }
    return problems;
}

bool isValidUtf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t len = 0;
        char32_t cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + len > text.size()) return false;
        for (std::size_t k = 1; k < len; ++k) {
            const auto cc = static_cast<unsigned char>(text[i + k]);
            if ((cc & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        const char32_t min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += len;
    }
    return true;
}

std::size_t utf8Length(std::string_view text) {
    std::size_t n = 0;
    for (char c : text) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    }
    return n;
}

}  // namespace portico::plugins::contact
