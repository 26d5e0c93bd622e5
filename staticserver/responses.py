"""One request head in, one response out, written without ever waiting.

:class:`BufferedRequestHandler` is an ``http.server`` handler that reads its
request from a head held in memory and writes its status and headers into a
buffer; the body is handed over as bytes or as an open file.  :class:`Outgoing`
then sends it as far as the socket takes at once: headers with ``send``,
files with ``os.sendfile`` straight from the file (never read into memory),
in-memory bodies (errors, compressed files) from the one shared copy.  What
does not fit waits in the connection loop (staticserver/connections.py).
"""

from __future__ import annotations

import io
import os
import re
import socket
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import IO, Any

SENDFILE_BYTES = 8 * 1024 * 1024  # at most this per sendfile call
MSG_MORE = getattr(socket, "MSG_MORE", 0)  # "the body follows": one packet for small files

# The end of a request head: an empty line (bare LF accepted, as http.server does).
_HEAD_END = re.compile(rb"\n\r?\n")


def head_length(buffer: bytes | bytearray) -> int:
    """Length of the complete request head at the start of ``buffer``, or 0 if incomplete.

    A first line of fewer than three words (an HTTP/0.9 request, garbage) is a
    whole head by itself: the handler refuses it at once, without waiting for
    headers that an HTTP/0.9 client never sends.
    """
    first = buffer.find(b"\n")
    if first < 0:
        return 0
    if len(buffer[:first].split()) < 3:
        return first + 1
    end = _HEAD_END.search(buffer, first)
    return end.end() if end else 0


@dataclass
class Outgoing:
    """A response being written: head bytes, then a memory body or a file range."""

    head: memoryview
    body: memoryview | None = None
    file: IO[bytes] | None = None
    offset: int = 0
    remaining: int = 0
    keep_alive: bool = False

    def pump(self, sock: socket.socket) -> tuple[bool, bool]:
        """Send what the socket takes now: (finished, made progress).  Raises OSError."""
        progress = False
        try:
            while self.head:
                more = MSG_MORE if (self.body or self.remaining) else 0
                sent = sock.send(self.head, more)
                self.head, progress = self.head[sent:], True
            while self.body:
                sent = sock.send(self.body)
                self.body, progress = self.body[sent:], True
            while self.remaining > 0:
                assert self.file is not None
                count = min(self.remaining, SENDFILE_BYTES)
                sent = os.sendfile(sock.fileno(), self.file.fileno(), self.offset, count)
                if sent == 0:  # the file shrank under us: the length sent is wrong now
                    raise ConnectionAbortedError("file truncated while being sent")
                self.offset += sent
                self.remaining -= sent
                progress = True
        except BlockingIOError:
            return False, progress
        self.close()
        return True, progress

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None


class BufferedRequestHandler(BaseHTTPRequestHandler):
    """An ``http.server`` handler that answers one request head held in memory.

    Subclasses implement ``do_GET`` etc. as usual; headers go through
    ``send_response``/``send_header``/``end_headers``, and the body is handed
    over with :meth:`set_body` (bytes) or :meth:`set_file` (an open file and
    its length) instead of being written.
    """

    protocol_version = "HTTP/1.1"
    # The base class would answer an unparsable request line in HTTP/0.9 style:
    # a bare body, no status line, no headers (so no security headers either).
    default_request_version = "HTTP/1.0"

    _body: bytes | None
    _file: IO[bytes] | None
    _file_length: int
    _out: io.BytesIO  # the same object as wfile, typed
    raw_requestline: bytes

    @classmethod
    def _fresh(cls, server: Any, client_address: Any, head: bytes) -> BufferedRequestHandler:
        self = cls.__new__(cls)
        self.server = server
        self.client_address = client_address
        self.request = self.connection = None
        self.rfile = io.BytesIO(head)
        self.wfile = self._out = io.BytesIO()
        self._body, self._file, self._file_length = None, None, 0
        self.close_connection = True
        self.requestline, self.command = "", ""
        self.request_version = self.default_request_version
        return self

    @classmethod
    def answer(
        cls, server: Any, client_address: Any, head: bytes, too_large: bool = False
    ) -> Outgoing:
        """The response to one request head (``too_large``: the head went past the limit)."""
        self = cls._fresh(server, client_address, head)
        try:
            if too_large:
                first_line_ends = head.find(b"\n")
                too_long_line = first_line_ends < 0 or first_line_ends > 65536
                self.send_error(
                    HTTPStatus.REQUEST_URI_TOO_LONG
                    if too_long_line
                    else HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                )
            else:
                self.handle_one_request()
        except BaseException:
            if self._file is not None:
                self._file.close()
            raise
        if self._file is not None:
            return Outgoing(
                memoryview(self._out.getvalue()),
                file=self._file,
                remaining=self._file_length,
                keep_alive=not self.close_connection,
            )
        body = memoryview(self._body) if self._body else None
        return Outgoing(
            memoryview(self._out.getvalue()), body, keep_alive=not self.close_connection
        )

    @classmethod
    def refusal(cls, server: Any, status: HTTPStatus, extra: dict[str, str]) -> bytes:
        """A whole error response (head and body) sent before any request was read."""
        self = cls._fresh(server, ("", 0), b"")
        self.refuse(status, extra)
        return self._out.getvalue() + (self._body or b"")

    def refuse(self, status: HTTPStatus, extra: dict[str, str]) -> None:
        """Answer ``status`` with ``extra`` headers and close; subclasses add their own headers."""
        self.send_response(status)
        for name, value in {**extra, "Connection": "close", "Content-Length": "0"}.items():
            self.send_header(name, value)
        self.end_headers()

    def set_body(self, body: bytes) -> None:
        self._body = body

    def set_file(self, file: IO[bytes], length: int) -> None:
        self._file, self._file_length = file, length

    def parse_request(self) -> bool:
        words = str(self.raw_requestline, "iso-8859-1").split()
        if len(words) == 2:
            # HTTP/0.9 ("GET /path"): answered in HTTP/1.x, with every header, and refused.
            self.close_connection = True
            self.send_error(HTTPStatus.BAD_REQUEST, "HTTP/0.9 is not supported")
            return False
        return super().parse_request()
