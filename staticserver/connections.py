"""Sockets for a small static server that holds up under load and slow clients.

One thread (the one in :meth:`Server.serve_forever`) owns every connection
while it waits for the network.  It accepts, reads request heads with a
selector (so a slow or idle client costs a socket, never a thread), enforces
the timeouts, and finishes writing responses that did not fit into the
socket's buffer at once (so a client that stops reading costs a socket and an
open file, never a thread, and never the file's bytes in memory).

A fixed pool of worker threads turns each complete request head into a
response (staticserver/responses.py) and sends as much of it as the socket
takes without waiting.

Limits (all arguments of :class:`Server`; the defaults are the module constants):

* a request head must arrive whole within ``request_timeout`` of its first
  byte (408 and close otherwise), and be at most :data:`MAX_HEAD_BYTES`;
* a connection with no request under way is closed after ``idle_timeout``;
* a response that makes no progress for ``send_timeout`` is abandoned;
* past ``max_connections`` open connections, a new one gets a 503 and is closed;
* the listen backlog is ``backlog`` (the kernel may cap it at somaxconn).
"""

from __future__ import annotations

import collections
import contextlib
import queue
import selectors
import socket
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from staticserver.responses import BufferedRequestHandler, Outgoing, head_length

REQUEST_TIMEOUT_S = 10.0
IDLE_TIMEOUT_S = 15.0
SEND_TIMEOUT_S = 30.0
WORKERS = 8
MAX_CONNECTIONS = 256
BACKLOG = 512
MAX_HEAD_BYTES = 64 * 1024
SWEEP_INTERVAL_S = 0.1  # how often the deadlines are checked
# After a last response, the server stops sending but reads (and drops) what the
# client still sends for this long: closing a socket with unread input resets the
# connection, and the client may then lose the response before reading it.
LINGER_S = 2.0
RECV_BYTES = 64 * 1024

Handler = type[BufferedRequestHandler]


@dataclass(eq=False)
class _Lingering:
    sock: socket.socket
    deadline: float


@dataclass(eq=False)
class _Connection:
    sock: socket.socket
    address: Any
    buffer: bytearray = field(default_factory=bytearray)
    deadline: float = 0.0
    outgoing: Outgoing | None = None
    reading_head: bool = False  # a request has begun: the request timeout applies


class Server:
    """A static file server's sockets; the API of ``socketserver`` that callers use.

    ``server_address``, ``RequestHandlerClass``, ``serve_forever``,
    ``shutdown`` and ``server_close`` behave as in ``http.server``.
    """

    def __init__(
        self,
        address: tuple[str, int],
        handler: Handler,
        *,
        workers: int = WORKERS,
        max_connections: int = MAX_CONNECTIONS,
        request_timeout: float = REQUEST_TIMEOUT_S,
        idle_timeout: float = IDLE_TIMEOUT_S,
        send_timeout: float = SEND_TIMEOUT_S,
        backlog: int = BACKLOG,
    ) -> None:
        self.RequestHandlerClass = handler
        self.workers = workers
        self.max_connections = max_connections
        self.request_timeout = request_timeout
        self.idle_timeout = idle_timeout
        self.send_timeout = send_timeout
        family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.socket = socket.socket(family, socket.SOCK_STREAM)
        try:
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.socket.bind(address)
            self.socket.listen(backlog)
        except OSError:
            self.socket.close()
            raise
        self.socket.setblocking(False)
        self.server_address: tuple[Any, ...] = self.socket.getsockname()
        self._selector = selectors.DefaultSelector()
        self._wake_read, self._wake_write = socket.socketpair()
        self._wake_read.setblocking(False)
        self._wake_write.setblocking(False)
        self._connections: set[_Connection] = set()
        self._lingering: set[_Lingering] = set()
        self._jobs: queue.SimpleQueue[tuple[_Connection, bytes, bool] | None] = queue.SimpleQueue()
        self._returns: collections.deque[tuple[_Connection, str]] = collections.deque()
        self._threads: list[threading.Thread] = []
        self._stop = False
        self._stopped = threading.Event()
        self._stopped.set()
        self._closed = False

    # --- the public API -------------------------------------------------

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        self._stopped.clear()
        self._stop = False
        self._start_workers()
        selector = self._selector
        selector.register(self.socket, selectors.EVENT_READ, "accept")
        selector.register(self._wake_read, selectors.EVENT_READ, "wake")
        next_sweep = time.monotonic() + SWEEP_INTERVAL_S
        try:
            while not self._stop:
                timeout = max(0.0, min(poll_interval, next_sweep - time.monotonic()))
                for key, events in selector.select(timeout):
                    if key.data == "accept":
                        self._accept()
                    elif key.data == "wake":
                        self._drain_wake()
                    elif isinstance(key.data, _Lingering):
                        self._drop_input(key.data)
                    elif events & selectors.EVENT_READ:
                        self._read(key.data)
                    elif events & selectors.EVENT_WRITE:
                        self._write(key.data)
                self._take_returns()
                now = time.monotonic()
                if now >= next_sweep:
                    self._sweep(now)
                    next_sweep = now + SWEEP_INTERVAL_S
        finally:
            for registered in (self.socket, self._wake_read):
                with contextlib.suppress(KeyError, ValueError):
                    selector.unregister(registered)
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop serve_forever (from another thread) and wait until it has."""
        self._stop = True
        self._wake()
        self._stopped.wait()

    def server_close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.socket.close()
        for _ in self._threads:
            self._jobs.put(None)
        for thread in self._threads:
            thread.join(timeout=5)
        for connection in list(self._connections):
            self._close(connection)
        for lingering in list(self._lingering):
            self._end_linger(lingering)
        while self._returns:
            connection, _ = self._returns.popleft()
            self._close(connection)
        self._selector.close()
        self._wake_read.close()
        self._wake_write.close()

    def handle_error(self, request: object, client_address: object) -> None:
        """An unexpected error in a handler: printed, the connection closed, the server goes on."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # a browser that goes away mid-download is normal
        print(f"server.py: error answering {client_address}:", file=sys.stderr)
        traceback.print_exc()

    # --- the event loop's side ------------------------------------------

    def _accept(self) -> None:
        while True:
            try:
                sock, address = self.socket.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                return  # out of file descriptors, or the client gave up: try again later
            sock.setblocking(False)
            if len(self._connections) >= self.max_connections:
                self._refuse(sock, HTTPStatus.SERVICE_UNAVAILABLE, {"Retry-After": "1"})
                continue
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            connection = _Connection(sock, address, deadline=time.monotonic() + self.idle_timeout)
            self._connections.add(connection)
            self._selector.register(sock, selectors.EVENT_READ, connection)

    def _refuse(self, sock: socket.socket, status: HTTPStatus, extra: dict[str, str]) -> None:
        """Answer a fixed error and close, without waiting for the client."""
        try:
            sock.send(self.RequestHandlerClass.refusal(self, status, extra))
        except OSError:
            sock.close()
            return
        self._linger(sock)

    def _linger(self, sock: socket.socket) -> None:
        """Close gracefully: no more sending, input read and dropped for a while."""
        try:
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            sock.close()
            return
        if len(self._lingering) >= self.max_connections:
            sock.close()  # under a flood: no grace
            return
        lingering = _Lingering(sock, time.monotonic() + LINGER_S)
        self._lingering.add(lingering)
        self._selector.register(sock, selectors.EVENT_READ, lingering)

    def _drop_input(self, lingering: _Lingering) -> None:
        try:
            if lingering.sock.recv(RECV_BYTES):
                return
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            pass
        self._end_linger(lingering)

    def _end_linger(self, lingering: _Lingering) -> None:
        with contextlib.suppress(KeyError, ValueError):
            self._selector.unregister(lingering.sock)
        lingering.sock.close()
        self._lingering.discard(lingering)

    def _read(self, connection: _Connection) -> None:
        try:
            data = connection.sock.recv(RECV_BYTES)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self._close(connection)
            return
        connection.buffer += data
        self._next_request(connection)

    def _next_request(self, connection: _Connection) -> None:
        """Hand a complete head to the workers, or wait for more (under the right deadline)."""
        buffer = connection.buffer
        while buffer.startswith((b"\r", b"\n")):  # empty lines before a request are ignored
            del buffer[:1]
        if not buffer:
            connection.reading_head = False
            connection.deadline = time.monotonic() + self.idle_timeout
            return
        if not connection.reading_head:
            connection.reading_head = True
            connection.deadline = time.monotonic() + self.request_timeout
        length = head_length(buffer)
        too_large = not length and len(buffer) > MAX_HEAD_BYTES
        if not length and not too_large:
            return
        head = bytes(buffer[:length]) if length else bytes(buffer[: MAX_HEAD_BYTES + 1])
        del buffer[: length or len(buffer)]
        connection.reading_head = False
        self._selector.unregister(connection.sock)
        self._jobs.put((connection, head, too_large))

    def _write(self, connection: _Connection) -> None:
        outgoing = connection.outgoing
        assert outgoing is not None
        try:
            finished, progress = outgoing.pump(connection.sock)
        except OSError:
            self._close(connection)
            return
        if progress:
            connection.deadline = time.monotonic() + self.send_timeout
        if finished:
            connection.outgoing = None
            if outgoing.keep_alive:
                self._selector.modify(connection.sock, selectors.EVENT_READ, connection)
                self._next_request(connection)
            else:
                self._finish(connection)

    def _take_returns(self) -> None:
        """Connections the workers are done with: read the next request, write on, or close."""
        while self._returns:
            connection, action = self._returns.popleft()
            if action == "close" or self._stop:
                self._close(connection)
            elif action == "done":
                self._finish(connection)
            elif action == "write":
                connection.deadline = time.monotonic() + self.send_timeout
                self._selector.register(connection.sock, selectors.EVENT_WRITE, connection)
            else:
                self._selector.register(connection.sock, selectors.EVENT_READ, connection)
                self._next_request(connection)

    def _sweep(self, now: float) -> None:
        for connection in list(self._connections):
            try:
                self._selector.get_key(connection.sock)
            except (KeyError, ValueError):
                continue  # with a worker: it never waits on the network
            if now < connection.deadline:
                continue
            if connection.reading_head:
                self._selector.unregister(connection.sock)
                self._forget(connection)
                self._refuse(connection.sock, HTTPStatus.REQUEST_TIMEOUT, {})
            else:
                self._close(connection)
        for lingering in list(self._lingering):
            if now >= lingering.deadline:
                self._end_linger(lingering)

    def _finish(self, connection: _Connection) -> None:
        """The last response is sent: close gracefully."""
        with contextlib.suppress(KeyError, ValueError):
            self._selector.unregister(connection.sock)
        self._forget(connection)
        self._linger(connection.sock)

    def _close(self, connection: _Connection) -> None:
        with contextlib.suppress(KeyError, ValueError):
            self._selector.unregister(connection.sock)
        connection.sock.close()
        self._forget(connection)

    def _forget(self, connection: _Connection) -> None:
        if connection.outgoing is not None:
            connection.outgoing.close()
            connection.outgoing = None
        self._connections.discard(connection)

    def _drain_wake(self) -> None:
        try:
            while self._wake_read.recv(4096):
                pass
        except (BlockingIOError, InterruptedError):
            pass

    def _wake(self) -> None:
        try:
            self._wake_write.send(b"\0")
        except (BlockingIOError, InterruptedError):
            pass  # a wake-up is pending already
        except OSError:
            pass  # closed: nobody to wake

    # --- the workers' side ----------------------------------------------

    def _start_workers(self) -> None:
        alive = [thread for thread in self._threads if thread.is_alive()]
        for number in range(len(alive), self.workers):
            thread = threading.Thread(
                target=self._work, name=f"server-worker-{number}", daemon=True
            )
            thread.start()
            alive.append(thread)
        self._threads = alive

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            connection, head, too_large = job
            action = "close"
            try:
                outgoing = self.RequestHandlerClass.answer(
                    self, connection.address, head, too_large
                )
                connection.outgoing = outgoing
                finished, _ = outgoing.pump(connection.sock)
                if not finished:
                    action = "write"
                else:
                    connection.outgoing = None
                    action = "read" if outgoing.keep_alive else "done"
            except Exception:
                self.handle_error(connection.sock, connection.address)
            self._returns.append((connection, action))
            self._wake()
