// `portico healthcheck [URL]`: one GET, exit 0 for a 2xx answer and 1 otherwise. Made for a
// Docker HEALTHCHECK in an image without curl.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include <cstdio>
#include <exception>
#include <string>

#include "cli.hpp"
#include "config.hpp"
#include "config_report.hpp"

namespace portico::host {
namespace {

constexpr long kTimeoutSeconds = 5;

// The readiness URL of the server the config describes: loopback unless it binds one address.
std::string defaultUrl(const Config& config) {
    std::string address = config.listen.address;
    if (address == "0.0.0.0" || address.empty()) address = "127.0.0.1";
    if (address == "::") address = "::1";
    if (address.find(':') != std::string::npos) address = "[" + address + "]";
    return "http://" + address + ":" + std::to_string(config.listen.port) + "/readyz";
}

}  // namespace

int runHealthcheck(const CommandLine& cli) {
    std::string url;
    if (cli.positional.empty()) {
        const auto config = loadConfigOrReport(configPath(cli));
        if (!config) return 1;
        url = defaultUrl(*config);
    } else {
        url = cli.positional.front();
    }
    try {
        Poco::URI uri(url);
        if (uri.getScheme() != "http" || uri.getHost().empty()) {
            std::fprintf(stderr,
                         "healthcheck: \"%s\": only http://host[:port]/path URLs are supported\n",
                         url.c_str());
            return 1;
        }
        Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
        session.setTimeout(Poco::Timespan(kTimeoutSeconds, 0));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, uri.getPathAndQuery(),
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.set("User-Agent", "portico-healthcheck");
        session.sendRequest(request);
        Poco::Net::HTTPResponse response;
        std::istream& body = session.receiveResponse(response);
        std::string text;
        Poco::StreamCopier::copyToString(body, text);
        const int status = response.getStatus();
        if (status >= 200 && status < 300) {
            std::printf("%s: %d %s\n", url.c_str(), status, response.getReason().c_str());
            return 0;
        }
        std::fprintf(stderr, "healthcheck: \"%s\": %d %s\n%s%s", url.c_str(), status,
                     response.getReason().c_str(), text.c_str(),
                     text.empty() || text.back() == '\n' ? "" : "\n");
        return 1;
    } catch (const Poco::Exception& e) {
        std::fprintf(stderr, "healthcheck: \"%s\": %s\n", url.c_str(), e.displayText().c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "healthcheck: \"%s\": %s\n", url.c_str(), e.what());
    }
    return 1;
}

}  // namespace portico::host
