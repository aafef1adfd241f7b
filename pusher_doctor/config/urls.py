"""Host names and URLs given in the settings or on the command line: their form checked before anything is
sent (so that no later step blames a server nothing reached), and URLs shown without what may be secret in
them: a password in the user part, a token in the query. Pure logic."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from pusher_doctor.config.secret import ELLIPSIS, MASK

#: DNS limits: a whole name, and one part between dots
MAX_HOST_CHARS = 253
MAX_LABEL_CHARS = 63
#: the most of a URL a message shows; a longer one is cut (a pasted page or a run-away script is not a URL)
MAX_SHOWN_URL_CHARS = 120
#: RFC 3986's own split of a URL (appendix B): it matches any text, so even a URL urlsplit refuses is shown
_URL_PARTS = re.compile(r"(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(.*)", re.DOTALL)


def host_problem(host: str) -> str | None:
    """Why `host` is not a host name or an IP address a connection can be opened to, or None. Underscores
    pass: Docker Compose service names have them and resolve."""
    if host.startswith("[") and host.endswith("]"):
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            return "what is inside [ ] is not an IPv6 address"
        return None
    odd = sorted({ch for ch in host if not (ch.isalnum() or ch in ".-_")})
    if odd:
        return f"it holds {' '.join(repr(ch) for ch in odd[:5])}, which no host name has"
    if len(host) > MAX_HOST_CHARS:
        return f"it is {len(host)} characters long; a host name has at most {MAX_HOST_CHARS}"
    labels = host.removesuffix(".").split(".")  # a trailing dot is a fully qualified name's
    if not all(labels):
        return "it has an empty part between dots"
    if any(len(label) > MAX_LABEL_CHARS for label in labels):
        return f"a part between dots is longer than {MAX_LABEL_CHARS} characters"
    try:
        host.encode("idna")
    except UnicodeError:
        return "it is not a valid international host name"
    return None


class UrlFormError(ValueError):
    """A URL option of the wrong form: the message names the option, `fix` says what to give instead."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.fix = fix


def checked_url(option: str, url: str, example: str) -> str:
    """`url` when it is an http:// or https:// URL a browser could open, else UrlFormError naming `option`."""
    if (why := url_problem(url)) is not None:
        raise UrlFormError(f"{option} {shown_url(url)!r} is not a usable URL: {why}",
                           f"give {option} the whole address as a browser's address bar shows it, e.g. {example}")
    return url


def url_password(url: str) -> str | None:
    """The password in the URL's user part (https://user:PASSWORD@host/), for the output's redactor."""
    match = _URL_PARTS.fullmatch(url)
    assert match is not None, "the pattern matches any text"
    userinfo, at, _ = (match.group(2) or "").rpartition("@")
    return (userinfo.partition(":")[2] or userinfo) if at else None


def url_problem(url: str) -> str | None:
    """Why `url` is not an http:// or https:// URL a browser could open, or None."""
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        return "it holds spaces or control characters (write a space in a path as %20)"
    try:
        parts = urlsplit(url)
    except ValueError:  # urlsplit checks what stands in [ ]
        return "its IPv6 address in [ ] is not valid (write e.g. http://[::1]:8080/)"
    if parts.scheme.lower() not in ("http", "https"):
        return "it is not an http:// or https:// address"
    if not parts.hostname:
        return "it has no host name"
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0:
        return "its port is not a number from 1 to 65535"
    if ":" in parts.hostname:  # an IPv6 literal, which urlsplit checked
        return None
    return host_problem(parts.hostname)


def shown_url(url: str) -> str:
    """The URL as output shows it: the password of its user part masked, the query and fragment left out
    (guest links and auth endpoints often carry a token there), cut when long. Never fails, even on a URL
    urlsplit refuses."""
    match = _URL_PARTS.fullmatch(url)
    assert match is not None, "the pattern matches any text"
    scheme, authority, path, rest = match.groups()
    if authority is not None and "@" in authority:
        userinfo, _, host = authority.rpartition("@")
        # a user part without ':' may be a token itself (https://TOKEN@host): masked whole
        user = f"{userinfo.partition(':')[0]}:{MASK}" if ":" in userinfo else MASK
        authority = f"{user}@{host}"
    shown = (f"{scheme}:" if scheme is not None else "") + (f"//{authority}" if authority is not None else "") + path
    if len(shown) > MAX_SHOWN_URL_CHARS:
        shown = shown[: MAX_SHOWN_URL_CHARS - 1] + ELLIPSIS
    return shown + ("?…" if rest.strip("?#") else "")
