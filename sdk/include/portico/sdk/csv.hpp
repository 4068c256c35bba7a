#pragma once

// CSV for exports an operator opens in a spreadsheet (RFC 4180), safe against formula
// injection: visitor text that starts like a formula is never evaluated.

#include <string>
#include <string_view>
#include <vector>

namespace portico::sdk {

/// One CSV field: always quoted, '"' doubled, and a leading ' added when the text starts with
/// = + - @ tab or CR (OWASP's advice against formula injection), so "=HYPERLINK(...)" from a
/// visitor stays text in a spreadsheet. Line breaks stay inside the quotes. Pure; any thread;
/// throws only `std::bad_alloc`.
std::string csvField(std::string_view text);

/// One CSV record of `csvField`s separated by ',' and ended by CRLF. Pure; any thread.
std::string csvRow(const std::vector<std::string>& fields);

}  // namespace portico::sdk
