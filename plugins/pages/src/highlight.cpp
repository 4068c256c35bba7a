#include "highlight.hpp"

#include <srchilite/formatter.h>
#include <srchilite/formattermanager.h>
#include <srchilite/langdefmanager.h>
#include <srchilite/langmap.h>
#include <srchilite/regexrulefactory.h>
#include <srchilite/settings.h>
#include <srchilite/sourcehighlighter.h>

#include <cctype>
#include <set>
#include <sstream>

#include "portico/sdk/http.hpp"

namespace portico::plugins::pages {
namespace {

// The elements of source-highlight's language definitions that get a class; any other text is
// written escaped without markup, so the stylesheet needs only these few colours.
const std::set<std::string> kClassed = {"keyword",  "type",   "usertype",   "string",
                                        "comment",  "number", "preproc",    "function",
                                        "variable", "regexp", "specialchar"};

// Collects the highlighted text: runs of one element become one span (source-highlight reports
// "//" and " done" of a comment apart), any unclassed text is written escaped without markup.
class Output {
public:
    void add(const std::string& element, const std::string& text) {
        if (element != element_) flush();
        element_ = element;
        pending_ += text;
    }
    void flush() {
        if (!pending_.empty()) {
            if (element_.empty()) {
                html_ += sdk::escapeHtml(pending_);
            } else {
                html_ +=
                    "<span class=\"hl-" + element_ + "\">" + sdk::escapeHtml(pending_) + "</span>";
            }
        }
        pending_.clear();
    }
    void raw(const std::string& text) {
        flush();
        html_ += text;
    }
    std::string take() {
        flush();
        return std::move(html_);
    }

private:
    std::string element_, pending_, html_;
};

// Hands one element's text to the output; "" for every element without a class.
class SpanFormatter : public srchilite::Formatter {
public:
    SpanFormatter(std::string element, Output& out) : element_(std::move(element)), out_(out) {}
    void format(const std::string& text, const srchilite::FormatterParams*) override {
        if (!text.empty()) out_.add(element_, text);
    }

private:
    std::string element_;
    Output& out_;
};

}  // namespace

struct Highlighter::State {
    std::string data_dir = srchilite::Settings::retrieveDataDir();
    srchilite::RegexRuleFactory rules;
    srchilite::LangDefManager definitions{&rules};
    srchilite::LangMap languages{data_dir, "lang.map"};
    bool languages_read = false;
    std::map<std::string, srchilite::HighlightStatePtr> states;  // by language; null: unknown
    Output out;
    srchilite::FormatterManager formatters{srchilite::FormatterPtr(new SpanFormatter("", out))};

    State() {
        for (const auto& element : kClassed) {
            formatters.addFormatter(element,
                                    srchilite::FormatterPtr(new SpanFormatter(element, out)));
        }
    }

    srchilite::HighlightStatePtr stateFor(const std::string& language) {
        auto it = states.find(language);
        if (it != states.end()) return it->second;
        srchilite::HighlightStatePtr state;
        try {
            if (!languages_read) {
                languages.open();
                languages_read = true;
            }
            std::string file = languages.getMappedFileName(language);
            if (!file.empty()) state = definitions.getHighlightState(data_dir, file);
        } catch (const std::exception&) {
            state.reset();  // an unreadable definition: plain code, like an unknown language
        }
        states[language] = state;
        return state;
    }
};

Highlighter::Highlighter() : state_(std::make_unique<State>()) {}
Highlighter::~Highlighter() = default;

std::optional<std::string> Highlighter::html(const std::string& language, const std::string& code) {
    std::string name;
    for (char c : language) {
        const auto u = static_cast<unsigned char>(c);
        if (!std::isalnum(u) && c != '+' && c != '-' && c != '_') return std::nullopt;
        name += static_cast<char>(std::tolower(u));
    }
    if (name.empty()) return std::nullopt;
    auto main = state_->stateFor(name);
    if (!main) return std::nullopt;
    srchilite::SourceHighlighter highlighter(main);
    highlighter.setFormatterManager(&state_->formatters);
    highlighter.setOptimize(false);
    Output& out = state_->out;
    out.take();  // a previous block's leftovers, after an exception
    std::istringstream lines(code);
    std::string line;
    bool first = true;
    try {
        while (std::getline(lines, line)) {
            if (!first) out.raw("\n");
            first = false;
            highlighter.highlightParagraph(line);
        }
    } catch (const std::exception&) {
        out.take();
        return std::nullopt;
    }
    if (!code.empty() && code.back() == '\n') out.raw("\n");
    return out.take();
}

}  // namespace portico::plugins::pages
