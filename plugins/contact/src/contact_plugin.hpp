#pragma once

#include <memory>
#include <string>

#include "config.hpp"
#include "message_store.hpp"
#include "notifier.hpp"
#include "portico/sdk/command.hpp"
#include "portico/sdk/plugin.hpp"
#include "render.hpp"

namespace portico::plugins::contact {

/// The contact form: GET shows it, POST validates and stores the message (303 to the
/// thank-you page only after the commit), the scheduler deletes old messages and sends
/// notifications from the outbox.
class ContactPlugin final : public sdk::Plugin {
public:
    void configure(sdk::Context& ctx) override;
    void start(sdk::Context& ctx) override;
    void stop() noexcept override;

    /// `portico contact list|export` (messages_command.hpp) on the configured plugin, which
    /// the host has not started. Main thread.
    int runCommand(sdk::CommandContext& cmd);

private:
    void showForm(const std::string& locale, sdk::Response& res) const;
    void submit(const std::string& locale, const sdk::Request& req, sdk::Response& res);
    void storeMessage(const sdk::Request& req, FormView view, sdk::Response& res);
    void answerForm(int status, FormView view, sdk::Response& res) const;
    std::string freshToken() const;
    void deleteExpired();

    void showThanks(const std::string& locale, sdk::Response& res) const;

    ContactConfig config_;
    std::string secret_;           // config_.secret, or the generated one from the data directory
    sdk::Context* ctx_ = nullptr;  // valid from configure() until after stop()
    std::unique_ptr<MessageStore> store_;
    std::unique_ptr<Notifier> notifier_;
    sdk::metrics::Counter* stored_ = nullptr;
    sdk::metrics::Counter* invalid_ = nullptr;
    sdk::metrics::Counter* rejected_ = nullptr;
    sdk::metrics::Counter* unavailable_ = nullptr;
    sdk::metrics::Counter* replayed_ = nullptr;
};

}  // namespace portico::plugins::contact
