#include "portico/sdk/html.hpp"

#include <algorithm>
#include <cctype>

namespace portico::sdk {

std::string insertBeforeHeadEnd(std::string html, std::string_view tag, std::string_view marker) {
    if (!marker.empty() && html.find(marker) != std::string::npos) return html;
    static constexpr std::string_view kHeadEnd = "</head>";
    auto it = std::search(
        html.begin(), html.end(), kHeadEnd.begin(), kHeadEnd.end(),
        [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
    if (it == html.end()) return html;
    html.insert(static_cast<std::size_t>(it - html.begin()), tag);
    return html;
}

}  // namespace portico::sdk
