"""What `check --page` was told about the guest page: its URL, the guest's session (cookies, headers,
storage state: secrets) and the browser. Parsing the options is pure; nothing here starts a browser."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pusher_doctor.config.secret import Secret
from pusher_doctor.config.urls import UrlFormError, checked_url, shown_url, url_password

#: seconds a loaded page gets to connect and subscribe before the doctor decides it will not
DEFAULT_SETTLE = 3.0
#: a browser's cookies and localStorage for a few sites fit in far less; anything larger is another file
MAX_STORAGE_STATE_BYTES = 16 << 20


class PageOptionError(ValueError):
    """An unusable --page* or --browser option; the message never contains a cookie or header value.
    `fix`, when given, says what to give instead."""

    def __init__(self, message: str, fix: str | None = None) -> None:
        super().__init__(message)
        self.fix = fix


@dataclass(frozen=True)
class PageOptions:
    url: str
    #: (name, value) pairs, sent to the page's own site only
    cookies: tuple[tuple[str, Secret], ...] = ()
    #: (name, value) pairs, added to requests to the page's own origin only
    headers: tuple[tuple[str, Secret], ...] = ()
    #: a Playwright storage-state file (cookies and localStorage of a logged-in guest)
    storage_state: Path | None = None
    browser: Path | None = None
    screenshot: Path | None = None
    offline_test: bool = False
    settle: float = DEFAULT_SETTLE

    @property
    def shown_url(self) -> str:
        return shown_url(self.url)

    def secrets(self) -> tuple[Secret, ...]:
        """Every value of the guest's session, for the output's redactor."""
        values = [value for _, value in (*self.cookies, *self.headers)]
        if (password := url_password(self.url)) is not None:
            values.append(Secret(password))
        if self.storage_state is not None:
            values += [Secret(value) for value in storage_state_values(self.storage_state)]
        return tuple(values)


def parse_page_url(url: str) -> str:
    """The guest page's URL; PageOptionError says what is wrong with its form, before a browser starts."""
    try:
        return checked_url("--page", url.strip(), "https://app.example.com/rooms/101")
    except UrlFormError as error:
        raise PageOptionError(str(error), error.fix) from None


def parse_cookie(text: str) -> tuple[str, Secret]:
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name or any(ch in name for ch in ";, \t"):
        raise PageOptionError("--page-cookie takes NAME=VALUE (the value is not shown)")
    return name, Secret(value)


def parse_header(text: str) -> tuple[str, Secret]:
    name, sep, value = text.partition(":")
    name = name.strip()
    if not sep or not name or any(ch.isspace() for ch in name):
        raise PageOptionError("--page-header takes 'Name: value' (the value is not shown)")
    return name, Secret(value.strip())


def storage_state_values(path: Path) -> list[str]:
    """The cookie and localStorage values of a storage-state file: all of them are the guest's secrets."""
    try:
        if path.exists() and not path.is_file():  # a FIFO would block, a device (/dev/zero) never end
            raise PageOptionError(f"--page-storage-state {path}: not a regular file (give the JSON file that "
                                  "Playwright's storage_state() wrote)")
        with path.open("rb") as handle:
            data = handle.read(MAX_STORAGE_STATE_BYTES + 1)
        if len(data) > MAX_STORAGE_STATE_BYTES:
            raise PageOptionError(f"--page-storage-state {path}: larger than {MAX_STORAGE_STATE_BYTES >> 20} MB, "
                                  "not a storage-state file")
        state = json.loads(data.decode("utf-8"))
        values = [str(cookie["value"]) for cookie in state.get("cookies", [])]
        for origin in state.get("origins", []):
            values += [str(item["value"]) for item in origin.get("localStorage", [])]
    except OSError as error:
        raise PageOptionError(f"--page-storage-state {path}: cannot be read ({error.strerror})") from None
    except PageOptionError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError):
        raise PageOptionError(f"--page-storage-state {path}: not a Playwright storage-state JSON file "
                              "({\"cookies\": [...], \"origins\": [...]})") from None
    return values


def check_storage_state(path: Path) -> Path:
    storage_state_values(path)
    return path


def check_browser(path: Path) -> Path:
    if not path.is_file():
        raise PageOptionError(f"--browser {path}: no such file")
    # absolute: a bare relative name (./chrome arrives as "chrome") would be looked up on PATH by the launcher
    return path.absolute()


def check_screenshot(path: Path) -> Path:
    if path.is_dir() or not path.parent.is_dir():
        raise PageOptionError(f"--page-screenshot {path}: give a file name in an existing directory")
    return path
