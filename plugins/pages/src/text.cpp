#include "text.hpp"

#include <algorithm>

namespace portico::plugins::pages {

std::string slugify(const std::string& text) {
    std::string out;
    bool gap = false;
    auto put = [&](const std::string& part) {
        if (gap && !out.empty()) out += '-';
        gap = false;
        out += part;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            put(std::string(1, static_cast<char>(c)));
        } else if (c >= 'A' && c <= 'Z') {
            put(std::string(1, static_cast<char>(c - 'A' + 'a')));
        } else if (c == '+') {
            put("p");
        } else if (c == '#') {
            put("sharp");
        } else if (c == 0xC3 && i + 1 < text.size()) {
            // Latin-1 supplement in UTF-8: the German letters are spelled out.
            const auto d = static_cast<unsigned char>(text[++i]);
            switch (d) {
                case 0xA4:
                case 0x84:
                    put("ae");
                    break;  // ä Ä
                case 0xB6:
                case 0x96:
                    put("oe");
                    break;  // ö Ö
                case 0xBC:
                case 0x9C:
                    put("ue");
                    break;  // ü Ü
                case 0x9F:
                    put("ss");
                    break;  // ß
                default:
                    gap = true;
            }
        } else {
            gap = true;
        }
    }
    return out;
}

int countWords(const std::string& text) {
    int words = 0;
    bool counted = false;  // the current run of non-blanks is counted already
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            counted = false;
            continue;
        }
        // Letters and digits, and every byte of a multi-byte UTF-8 letter, make a word.
        const bool wordy =
            (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c >= 0x80;
        if (wordy && !counted) {
            ++words;
            counted = true;
        }
    }
    return words;
}

int readingMinutes(int words, int per_minute) {
    if (per_minute < 1) per_minute = 1;
    return std::max(1, (words + per_minute - 1) / per_minute);
}

int pageCount(std::size_t items, int page_size) {
    if (page_size < 1) page_size = 1;
    const auto size = static_cast<std::size_t>(page_size);
    return std::max(1, static_cast<int>((items + size - 1) / size));
}

}  // namespace portico::plugins::pages
