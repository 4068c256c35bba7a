"""An aiosmtpd handler for the integration tests: each message, exactly as received (headers
and body, CRLF kept), goes to its own file mail-N.eml in the folder named on the command line.

    python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c smtp_sink.FileSink FOLDER
(with this folder on PYTHONPATH)."""
import os


class FileSink:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("smtp_sink.FileSink: name the folder for the messages")
        return cls(args[0])

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        final = os.path.join(self.folder, "mail-%d.eml" % self.count)
        partial = final + ".partial"
        with open(partial, "wb") as out:
            out.write(envelope.original_content)
        os.rename(partial, final)  # a reader never sees half a message
        return "250 OK"
