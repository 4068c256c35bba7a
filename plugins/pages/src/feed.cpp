#include "feed.hpp"

#include <Poco/SAX/AttributesImpl.h>
#include <Poco/XML/XMLWriter.h>

#include <sstream>

namespace portico::plugins::pages {
namespace {

constexpr const char* kAtom = "http://www.w3.org/2005/Atom";
constexpr const char* kXmlNs = "http://www.w3.org/XML/1998/namespace";

std::string atomDate(const std::string& day) {
    return (day.empty() ? std::string("1970-01-01") : day) + "T00:00:00Z";
}

class Writer {
public:
    explicit Writer(std::ostream& out)
        : xml_(out,
               Poco::XML::XMLWriter::WRITE_XML_DECLARATION | Poco::XML::XMLWriter::PRETTY_PRINT) {
        xml_.setNewLine("\n");
        xml_.setIndent("  ");
    }
    Poco::XML::XMLWriter& xml() { return xml_; }

    void start(const std::string& name, const Poco::XML::AttributesImpl& attrs = {}) {
        xml_.startElement(kAtom, name, "", attrs);
    }
    void end(const std::string& name) { xml_.endElement(kAtom, name, ""); }
    void text(const std::string& name, const std::string& value,
              const Poco::XML::AttributesImpl& attrs = {}) {
        start(name, attrs);
        xml_.characters(value);
        end(name);
    }
    void empty(const std::string& name, const Poco::XML::AttributesImpl& attrs) {
        xml_.emptyElement(kAtom, name, "", attrs);
    }
    static Poco::XML::AttributesImpl attrs(
        std::initializer_list<std::pair<std::string, std::string>> list) {
        Poco::XML::AttributesImpl out;
        for (const auto& [name, value] : list) out.addAttribute("", name, name, "CDATA", value);
        return out;
    }

private:
    Poco::XML::XMLWriter xml_;
};

void writeEntry(Writer& w, const FeedEntry& e, const std::string& author) {
    w.start("entry");
    w.text("title", e.title);
    w.empty("link", Writer::attrs({{"rel", "alternate"}, {"type", "text/html"}, {"href", e.url}}));
    w.text("id", e.url);
    w.text("published", atomDate(e.date));
    w.text("updated", atomDate(e.date));
    w.start("author");
    w.text("name", author);
    w.end("author");
    for (const auto& [term, label] : e.categories) {
        w.empty("category", Writer::attrs({{"term", term}, {"label", label}}));
    }
    if (!e.summary.empty()) w.text("summary", e.summary);
    Poco::XML::AttributesImpl content = Writer::attrs({{"type", "html"}});
    // Relative links in the body resolve against the note's own URL.
    content.addAttribute(kXmlNs, "base", "xml:base", "CDATA", e.url);
    w.text("content", e.html, content);
    w.end("entry");
}

}  // namespace

std::string atomFeed(const FeedInput& in) {
    std::ostringstream out;
    Writer w(out);
    w.xml().startDocument();
    w.xml().startPrefixMapping("", kAtom);
    Poco::XML::AttributesImpl root;
    root.addAttribute(kXmlNs, "lang", "xml:lang", "CDATA", in.lang);
    w.start("feed", root);
    w.text("title", in.title);
    if (!in.subtitle.empty()) w.text("subtitle", in.subtitle);
    w.empty(
        "link",
        Writer::attrs({{"rel", "self"}, {"type", "application/atom+xml"}, {"href", in.self_url}}));
    w.empty("link",
            Writer::attrs({{"rel", "alternate"}, {"type", "text/html"}, {"href", in.page_url}}));
    w.text("id", in.page_url);
    w.text("updated", atomDate(in.entries.empty() ? "" : in.entries.front().date));
    w.start("author");
    w.text("name", in.author);
    w.end("author");
    w.text("generator", "Portico");
    for (const auto& e : in.entries) writeEntry(w, e, in.author);
    w.end("feed");
    w.xml().endPrefixMapping("");
    w.xml().endDocument();
    return out.str();
}

}  // namespace portico::plugins::pages
