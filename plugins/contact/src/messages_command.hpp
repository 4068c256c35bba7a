#pragma once

#include <string>
#include <vector>

#include "message_store.hpp"
#include "portico/sdk/command.hpp"

namespace portico::plugins::contact {

/// The text of `portico contact --help`.
extern const char* const kCommandUsage;

/// The messages for a terminal, oldest first, then "N messages": what visitors wrote goes
/// through `sdk::escapeControls`, so it cannot move the cursor, set the title or colours, or
/// forge lines. Pure.
std::string renderList(const std::vector<StoredMessage>& messages);

/// Every field as CSV (RFC 4180, a header row, CRLF), each field quoted so that no separator a
/// spreadsheet may split on ends it, and one starting with = + - @ tab or CR gets a leading '
/// so that spreadsheets show it as text instead of running it as a formula (OWASP). Pure.
std::string renderCsv(const std::vector<StoredMessage>& messages);

/// Every field as a JSON array (invalid UTF-8 replaced). Pure.
std::string renderJson(const std::vector<StoredMessage>& messages);

/// `portico contact list` and `portico contact export [--format csv|json] [--out FILE]`:
/// reads every message from `store` and writes them to the command's output, or to --out.
/// Returns the exit status: 2 for a bad subcommand or format, 1 when the store cannot be read
/// or the file cannot be written. Main thread.
int runMessagesCommand(MessageStore& store, sdk::CommandContext& cmd);

}  // namespace portico::plugins::contact
