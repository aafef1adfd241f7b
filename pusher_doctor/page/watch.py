"""One guest page in a headless browser, watched while the doctor works: every WebSocket it opens with
the frames it sends and receives, its console and uncaught exceptions, the requests it makes.

Playwright runs on a thread of its own with its own event loop (the async API), so what the page does
is stamped with `time.monotonic()` as it happens, even while the caller is busy triggering the test
message: Playwright's sync API would deliver those events only at the caller's next Playwright call.
The caller's side is blocking and bounded: every method takes a timeout and returns within it (plus a
fraction of a second). Playwright is imported when a page is opened, never at module import.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from pusher_doctor.page.browser import LAUNCH_FLAGS, find_browser, no_browser
from pusher_doctor.page.frames import Frame, SocketUrl, parse_frame, parse_socket_url
from pusher_doctor.page.options import PageOptions, shown_url
from pusher_doctor.results import Problem, Remediation, problem

if TYPE_CHECKING:
    import asyncio

T = TypeVar("T")

#: keeps a list of the page's open WebSockets, for the offline test to drop them as a network would.
#: Installed only with --page-offline-test: otherwise the page runs untouched.
_TRACK_SOCKETS = """(() => {
  const Native = window.WebSocket;
  if (!Native || window.__pusherDoctorSockets) return;
  const open = new Set();
  class TrackedWebSocket extends Native {
    constructor(...args) {
      super(...args);
      open.add(this);
      this.addEventListener('close', () => open.delete(this));
    }
  }
  Object.defineProperty(window, '__pusherDoctorSockets', { value: open });
  window.WebSocket = TrackedWebSocket;
})();"""
_DROP_SOCKETS = """() => {
  const open = window.__pusherDoctorSockets;
  if (!open) return -1;
  const sockets = [...open];
  sockets.forEach((socket) => socket.close());
  return sockets.length;
}"""
#: how often the text occurs in what the page shows, whitespace folded as the needle is
_COUNT_TEXT = """(needle) => {
  const shown = (document.body ? document.body.innerText : '').replace(/\\s+/g, ' ');
  return needle ? shown.split(needle).length - 1 : 0;
}"""
#: counts the text now, then notes the moment (epoch ms, the page's clock) it first shows more often:
#: the render's own time, not the time the doctor next looked
_WATCH_TEXT = """(needle) => {
  const shown = () => (document.body ? document.body.innerText : '').replace(/\\s+/g, ' ');
  const count = () => shown().split(needle).length - 1;
  const before = needle ? count() : 0;
  const seen = { at: null };
  const look = () => {
    if (seen.at === null && count() > before) {
      seen.at = performance.timeOrigin + performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(look);
  observer.observe(document, { subtree: true, childList: true, characterData: true });
  Object.defineProperty(window, '__pusherDoctorTextSeen', { value: seen, configurable: true });
  return before;
}"""
#: pusher-js keeps every client it created in Pusher.instances; each channel's bindings sit in its
#: callback registry under "_" + event name (pusher-js 4 to 8), catch-all ones in global_callbacks
_READ_BINDINGS = """(channelName) => {
  const P = window.Pusher;
  if (typeof P !== 'function' || !Array.isArray(P.instances)) return null;
  const bound = (dispatcher) => {
    const registry = dispatcher && dispatcher.callbacks && dispatcher.callbacks._callbacks;
    if (!registry) return [];
    return Object.keys(registry).filter((name) => registry[name] && registry[name].length)
      .map((name) => name.slice(1));
  };
  const live = P.instances.filter(
    (c) => c.connection && ['connected', 'connecting'].includes(c.connection.state));
  const result = { clients: P.instances.length, live: live.length, found: false, events: [], clientEvents: [],
                   catchAll: 0, version: typeof P.VERSION === 'string' ? P.VERSION : null };
  for (const client of live) {
    const channel = client.channels && client.channels.channels && client.channels.channels[channelName];
    if (!channel) continue;
    result.found = true;
    result.events.push(...bound(channel));
    result.clientEvents.push(...bound(client.global_emitter));
    result.catchAll += (channel.global_callbacks || []).length
      + ((client.global_emitter && client.global_emitter.global_callbacks) || []).length;
  }
  return result;
}"""
_NET_ERROR = re.compile(r"net::(ERR_[A-Z_]+)")
_STACK_PLACE = re.compile(r"(?P<url>(?:https?|file)://[^\s()]+?):(?P<line>\d+:\d+)")


@dataclass(frozen=True)
class PageSocket:
    """One WebSocket the page opened, as seen up to a moment."""

    url: str
    #: its parts, when it is a Pusher-protocol client socket
    pusher: SocketUrl | None
    opened_at: float
    frames: tuple[Frame, ...]
    closed_at: float | None
    error: str | None


@dataclass(frozen=True)
class ConsoleEntry:
    #: the console method ("error", "warning", "log"...), or "exception" for an uncaught exception
    kind: str
    text: str
    #: "url:line:column" where it came from, when the browser says
    place: str
    at: float


@dataclass(frozen=True)
class PageRequest:
    method: str
    url: str
    #: Playwright's resource type: document, script, fetch, xhr, image...
    kind: str
    at: float


@dataclass(frozen=True)
class Snapshot:
    """Everything the page did up to one moment; `loaded_at` is when its load event fired."""

    sockets: tuple[PageSocket, ...]
    console: tuple[ConsoleEntry, ...]
    requests: tuple[PageRequest, ...]
    loaded_at: float | None
    #: the page logged more console messages than are kept (`PageWatch.CONSOLE_KEPT`): the rest were not read
    console_overflowed: bool = False

    @property
    def pusher_sockets(self) -> tuple[PageSocket, ...]:
        return tuple(s for s in self.sockets if s.pusher is not None)


@dataclass(frozen=True)
class Loaded:
    status: int | None
    #: where the page ended up (after redirects), shown without query
    url: str
    #: the whole open: the browser's start, then the page's load
    elapsed_ms: float
    #: of which the browser's start (Playwright's driver included)
    launch_ms: float
    browser: str


@dataclass(frozen=True)
class Bindings:
    """What the page's pusher-js clients bind, for one channel."""

    clients: int
    #: clients connected or connecting
    live: int
    #: whether a live client has the channel
    found: bool
    events: tuple[str, ...]
    #: bound on the client itself (`pusher.bind`), which hears every channel
    client_events: tuple[str, ...]
    #: catch-all callbacks (`bind_global`)
    catch_all: int
    version: str | None


@dataclass
class _SocketLog:
    url: str
    pusher: SocketUrl | None
    opened_at: float
    frames: list[Frame] = field(default_factory=list)
    closed_at: float | None = None
    error: str | None = None

    def view(self) -> PageSocket:
        return PageSocket(self.url, self.pusher, self.opened_at, tuple(self.frames), self.closed_at,
                          self.error)


class PageTimeout(TimeoutError):
    """The browser did not finish an action within its bound."""


def _ms(seconds: float) -> float:
    return max(seconds, 0.05) * 1000


def _not_started_in_time(seconds: float, browser: str = "the browser") -> Problem:
    return problem("timeout", f"{browser} did not start in the {max(seconds, 0):.1f} s left of --timeout",
                   "raise --timeout: a headless browser takes a second or more to start")


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:200]


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc.lower()


class PageWatch:
    """The guest page in a headless browser. `open()` first; `close()` always (safe more than once)."""

    CLOSE_TIMEOUT = 5.0
    #: how long the browser may take to close gracefully before its driver is stopped under it
    GRACEFUL_CLOSE = 1.0
    #: console messages kept; past them the browser is no longer asked for any (a page logging in a loop
    #: would swamp the driver's pipe and hold every step past --timeout)
    CONSOLE_KEPT = 1000

    def __init__(self, options: PageOptions) -> None:
        self.options = options
        self.loaded: Loaded | None = None
        self._changed = threading.Condition()
        self._sockets: list[_SocketLog] = []
        self._console: list[ConsoleEntry] = []
        self._console_overflowed = False
        self._requests: list[PageRequest] = []
        self._loaded_at: float | None = None
        self._playwright: Any = None
        self._browser: Any = None
        self._context: Any = None
        self._page: Any = None
        self._closed = False
        # asyncio only when a page is opened: every `check` run imports this module.
        import asyncio

        self._loop: asyncio.AbstractEventLoop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="pusher-doctor-page", daemon=True)
        self._thread.start()

    # --- running on the browser's thread ---------------------------------------------------------------

    def _run(self, action: Coroutine[Any, Any, T], timeout: float) -> T:
        """Runs `action` on the browser's loop; its result within `timeout` seconds, else PageTimeout."""
        import asyncio
        import concurrent.futures

        future = asyncio.run_coroutine_threadsafe(action, self._loop)
        try:
            return future.result(max(timeout, 0.05))
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise PageTimeout from None

    def _record(self, change: Callable[[], None]) -> None:
        with self._changed:
            change()
            self._changed.notify_all()

    def _on_websocket(self, socket: Any) -> None:
        log = _SocketLog(socket.url, parse_socket_url(socket.url), time.monotonic())
        self._record(lambda: self._sockets.append(log))

        def frame(payload: str | bytes, sent: bool) -> None:
            parsed = parse_frame(payload, sent, time.monotonic())
            self._record(lambda: log.frames.append(parsed))

        def closed(_socket: Any) -> None:
            stamp = time.monotonic()
            self._record(lambda: setattr(log, "closed_at", stamp))

        socket.on("framesent", lambda payload: frame(payload, True))
        socket.on("framereceived", lambda payload: frame(payload, False))
        socket.on("socketerror", lambda error: self._record(lambda: setattr(log, "error", str(error))))
        socket.on("close", closed)

    def _on_console(self, message: Any) -> None:
        where = message.location or {}
        place = f"{shown_url(where['url'])}:{where.get('lineNumber')}:{where.get('columnNumber')}" \
            if where.get("url") else ""
        entry = ConsoleEntry(message.type, message.text, place, time.monotonic())
        self._record(lambda: self._console.append(entry))
        if len(self._console) >= self.CONSOLE_KEPT and not self._console_overflowed:
            # On the browser's loop (Playwright calls back there): with no listener left, Playwright
            # stops asking the browser for console messages.
            self._page.remove_listener("console", self._on_console)
            self._record(lambda: setattr(self, "_console_overflowed", True))

    def _on_page_error(self, error: Any) -> None:
        stamp = time.monotonic()
        name = getattr(error, "name", "") or "Error"
        place = _STACK_PLACE.search(getattr(error, "stack", "") or "")
        entry = ConsoleEntry("exception", f"{name}: {getattr(error, 'message', error)}",
                             f"{shown_url(place['url'])}:{place['line']}" if place else "", stamp)
        if len(self._console) < 2 * self.CONSOLE_KEPT:  # uncaught exceptions matter more: a room of their own
            self._record(lambda: self._console.append(entry))

    def _on_request(self, request: Any) -> None:
        entry = PageRequest(request.method, request.url, request.resource_type, time.monotonic())
        self._record(lambda: self._requests.append(entry))

    async def _open(self, ends_at: float) -> Loaded | Problem:
        try:
            from playwright.async_api import Error as PlaywrightError
            from playwright.async_api import TimeoutError as PlaywrightTimeout
            from playwright.async_api import async_playwright
        except ImportError:
            return problem("no-browser", "Playwright for Python is not installed",
                           Remediation("install it into pusher-doctor's environment",
                                       ("pip install playwright",)))
        started = time.monotonic()
        self._playwright = await async_playwright().start()
        installed = self._playwright.chromium.executable_path
        executable = find_browser(self.options.browser, installed)
        if executable is None:
            return no_browser("no Chrome or Chromium found: looked in /usr/bin, /snap/bin, /Applications, on "
                              f"PATH and at Playwright's {installed}")
        budget = ends_at - time.monotonic()
        try:
            self._browser = await self._playwright.chromium.launch(
                executable_path=str(executable), args=list(LAUNCH_FLAGS), timeout=_ms(budget))
        except PlaywrightTimeout:  # the run's deadline ran out while it started: not a missing browser
            return _not_started_in_time(budget, str(executable))
        except PlaywrightError as error:
            return no_browser(f"{executable} did not start as a headless browser ({_first_line(error)})")
        launched = time.monotonic()
        options = self.options
        # Service workers are blocked: requests a worker makes would not be seen as the page's own.
        self._context = await self._browser.new_context(
            storage_state=str(options.storage_state) if options.storage_state else None,
            service_workers="block")
        parts = urlsplit(options.url)
        if options.cookies:
            await self._context.add_cookies([
                {"name": name, "value": value.reveal(), "domain": parts.hostname, "path": "/",
                 "secure": parts.scheme == "https"} for name, value in options.cookies])
        if options.headers:
            await self._add_headers_for_own_origin()
        if options.offline_test:
            await self._context.add_init_script(_TRACK_SOCKETS)
        page = self._page = await self._context.new_page()
        page.on("websocket", self._on_websocket)
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)
        page.on("request", self._on_request)
        page.on("load", lambda _page: self._record(lambda: setattr(self, "_loaded_at", time.monotonic())))
        try:
            response = await page.goto(options.url, wait_until="load",
                                       timeout=_ms(ends_at - time.monotonic()))
        except PlaywrightTimeout:
            return problem("page-unreachable", f"{options.shown_url} did not finish loading in time",
                           "check the page loads in a browser here, or raise --timeout")
        except PlaywrightError as error:
            return self._navigation_problem(error)
        return Loaded(response.status if response else None, shown_url(page.url),
                      (time.monotonic() - started) * 1000, (launched - started) * 1000,
                      f"{executable} {self._browser.version}")

    async def _add_headers_for_own_origin(self) -> None:
        # Only to the page's own origin: the guest's Authorization must not go to a CDN or to Pusher.
        own = _origin(self.options.url)
        extra = {name: value.reveal() for name, value in self.options.headers}

        async def add(route: Any, request: Any) -> None:
            if _origin(request.url) == own:
                await route.continue_(headers={**await request.all_headers(), **extra})
            else:
                await route.continue_()

        await self._context.route("**/*", add)

    def _navigation_problem(self, error: BaseException) -> Problem:
        shown = self.options.shown_url
        code = _NET_ERROR.search(str(error))
        reason = code.group(1) if code else _first_line(error).replace(self.options.url, shown)
        plain = {"ERR_NAME_NOT_RESOLVED": "the host name does not resolve",
                 "ERR_CONNECTION_REFUSED": "connection refused (nothing listens there)",
                 "ERR_INTERNET_DISCONNECTED": "this machine is offline"}.get(reason)
        if reason.startswith(("ERR_CERT_", "ERR_SSL_")):
            plain = f"the TLS certificate or handshake failed ({reason})"
        return problem("page-unreachable", f"{shown}: {plain or reason}")

    async def _shutdown(self) -> None:
        import asyncio

        for closing in (self._browser, self._playwright):
            # The browser may already be gone (crashed, killed): closing the rest must go on. A page busy in
            # a loop can hold a graceful close for seconds; stopping Playwright's driver ends the browser too.
            with contextlib.suppress(Exception):
                if closing is self._browser:
                    await asyncio.wait_for(closing.close(), self.GRACEFUL_CLOSE)
                elif closing is not None:
                    await closing.stop()

    # --- the caller's side -----------------------------------------------------------------------------

    def open(self, timeout: float) -> Loaded | Problem:
        """Starts the browser and loads the page; what loading gave, or why it could not, within `timeout`."""
        try:
            answer = self._run(self._open(time.monotonic() + timeout), timeout + 0.5)
        except PageTimeout:
            if self._browser is None:  # Playwright's driver took the time: the browser never got to start
                return _not_started_in_time(timeout)
            return problem("page-unreachable",
                           f"{self.options.shown_url}: the browser did not load it in time",
                           "check the page loads in a browser here, or raise --timeout")
        if isinstance(answer, Loaded):
            self.loaded = answer
        return answer

    def snapshot(self) -> Snapshot:
        with self._changed:
            return self._snapshot()

    def _snapshot(self) -> Snapshot:
        return Snapshot(tuple(s.view() for s in self._sockets), tuple(self._console), tuple(self._requests),
                        self._loaded_at, self._console_overflowed)

    def wait_for(self, found: Callable[[Snapshot], T | None], timeout: float) -> T | None:
        """Waits until `found` returns something other than None for what the page did; None at timeout."""
        ends_at = time.monotonic() + max(timeout, 0.0)
        with self._changed:
            while True:
                result = found(self._snapshot())
                left = ends_at - time.monotonic()
                if result is not None or left <= 0:
                    return result
                self._changed.wait(left)

    def _evaluate(self, script: str, arg: Any, timeout: float) -> Any:
        """The script's result in the page; None when the page cannot answer (navigating, closed, crashed)."""
        from playwright.async_api import Error as PlaywrightError

        async def evaluate() -> Any:
            try:
                return await self._page.evaluate(script, arg)
            except PlaywrightError:
                return None

        try:
            return self._run(evaluate(), timeout)
        except PageTimeout:
            return None

    def count_text(self, text: str, timeout: float) -> int:
        """How often the text shows in the page now (whitespace folded); 0 when the page cannot say."""
        return int(self._evaluate(_COUNT_TEXT, _needle(text), timeout) or 0)

    def watch_text(self, text: str, timeout: float) -> int | None:
        """Starts noting when the text shows once more than now; how often it shows now (None: the page
        cannot say). `text_shown_at` then waits for it."""
        before = self._evaluate(_WATCH_TEXT, _needle(text), timeout)
        return None if before is None else int(before)

    def text_shown_at(self, timeout: float) -> float | None:
        """When (time.monotonic()) the text watched by `watch_text` showed once more; None if not in time."""
        from playwright.async_api import Error as PlaywrightError

        async def wait() -> float | None:
            try:
                seen = await self._page.wait_for_function("() => window.__pusherDoctorTextSeen.at",
                                                          polling=25, timeout=_ms(timeout))
                epoch_ms = float(await seen.json_value())
            except PlaywrightError:  # timed out, or the page went away
                return None
            # The page's clock is this machine's wall clock: carry the moment over to time.monotonic().
            return time.monotonic() - (time.time() - epoch_ms / 1000)

        try:
            return self._run(wait(), timeout + 0.5)
        except PageTimeout:
            return None

    def bindings(self, channel: str, timeout: float) -> Bindings | None:
        """What the page's pusher-js binds on `channel`; None when the page does not expose window.Pusher."""
        found = self._evaluate(_READ_BINDINGS, channel, timeout)
        if not isinstance(found, dict):
            return None
        return Bindings(int(found["clients"]), int(found["live"]), bool(found["found"]),
                        tuple(found["events"]), tuple(found["clientEvents"]), int(found["catchAll"]),
                        found.get("version"))

    def drop_sockets(self, timeout: float) -> int:
        """Closes every WebSocket the page has open, as a network drop would; how many (-1: not tracked)."""
        dropped = self._evaluate(_DROP_SOCKETS, None, timeout)
        return -1 if dropped is None else int(dropped)

    def set_offline(self, offline: bool, timeout: float) -> None:
        """Playwright's offline mode: new connections fail and the page gets its offline/online event."""
        self._run(self._context.set_offline(offline), timeout)

    def screenshot(self, path: Path, timeout: float) -> str | None:
        """Saves a PNG of the page as it is now; why not, or None when saved."""
        from playwright.async_api import Error as PlaywrightError

        async def save() -> str | None:
            try:
                await self._page.screenshot(path=str(path), timeout=_ms(timeout))
            except (PlaywrightError, OSError) as error:  # Playwright writes the file in this process
                return _first_line(error)
            return None

        try:
            return self._run(save(), timeout + 0.5)
        except PageTimeout:
            return f"not done within {timeout:.1f} s"

    def close(self) -> None:
        """Closes the browser and ends the browser's thread; safe to call more than once."""
        if self._closed:
            return
        self._closed = True
        try:
            self._run(self._shutdown(), self.CLOSE_TIMEOUT)
        except PageTimeout:
            pass
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(self.CLOSE_TIMEOUT)
            if not self._thread.is_alive():
                self._loop.close()


def _needle(text: str) -> str:
    # Whitespace folded as innerText is; the start of the text is enough, and survives a page that
    # shortens long messages in its list.
    return " ".join(text.split())[:60]
