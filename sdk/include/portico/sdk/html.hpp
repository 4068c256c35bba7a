#pragma once

// Small edits of a rendered HTML document for HTML transforms: the one place that finds where
// a page's head ends (analytics adds its tracker there, the host its live-reload script).

#include <string>
#include <string_view>

namespace portico::sdk {

/// `html` with `tag` inserted before its first `</head>` (ASCII case-insensitive). Unchanged
/// when `html` has no `</head>` or already contains `marker` (e.g. the script's `src="..."`),
/// so a transform built on it is idempotent. Pure; any thread; throws only `std::bad_alloc`.
std::string insertBeforeHeadEnd(std::string html, std::string_view tag, std::string_view marker);

}  // namespace portico::sdk
