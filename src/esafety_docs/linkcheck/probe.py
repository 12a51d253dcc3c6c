"""Web addresses checked over HTTP, politely and within a time limit.

HEAD first, GET when a server refuses HEAD; redirects followed one hop at a
time so a loop or a permanent move can be named; a few workers in all and at
most two at once per site; retries for failures that may pass; and `429 Too
Many Requests` answered by waiting as `Retry-After` asks, within reason. Only
`linkcheck` imports this module, so no other command pays for the HTTP client.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import email.utils
import errno
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Protocol
from urllib.parse import urldefrag, urljoin, urlsplit

import httpx

from .. import __version__
from .outcome import BROKEN, RATE_LIMITED, REDIRECTED, TIMED_OUT, WORKING, Outcome

REDIRECTS = frozenset({301, 302, 303, 307, 308})
PERMANENT = frozenset({301, 308})
# Server errors that are often momentary; asked again after a pause.
RETRY_STATUSES = frozenset({500, 502, 503, 504})
USER_AGENT = f"esafety-docs-linkcheck/{__version__}"


@dataclass(frozen=True)
class Settings:
    """How hard to try. The defaults suit a weekly check of a few dozen addresses."""

    timeout: float = 10.0  # for each request, in seconds
    workers: int = 8  # requests in flight at once, in all
    per_site: int = 2  # requests in flight at once to one host
    attempts: int = 2  # for timeouts, dropped connections and 5xx answers
    retry_pause: float = 0.5
    max_redirects: int = 10
    longest_wait: float = 60.0  # a longer Retry-After is not waited for
    rate_limit_tries: int = 3


class Progress(Protocol):
    """Shown every `tick_every` seconds while addresses are being checked."""

    tick_every: float

    def tick(self, done: int, total: int, waiting: list[str]) -> None: ...


class _RateLimited(Exception):
    """The site answered 429; `wait` is how long it asked for (None: unreadable)."""

    def __init__(self, wait: float | None) -> None:
        super().__init__(wait)
        self.wait = wait


class _Failed(Exception):
    """The request failed: what to report, and whether another try might help."""

    def __init__(self, outcome: Outcome, retry: bool) -> None:
        super().__init__(outcome.detail)
        self.outcome = outcome
        self.retry = retry


def check_web(
    addresses: list[str], settings: Settings, progress: Progress | None = None
) -> dict[str, Outcome]:
    """An outcome for every address. Each is requested once, without its #fragment
    (the part a browser scrolls to), so `page#a` and `page#b` cost one request."""
    targets = list(dict.fromkeys(urldefrag(address).url for address in addresses))
    loop = asyncio.new_event_loop()
    # Name lookups run in threads. One the timeout gave up on must not keep the
    # command from exiting, so they run in daemon threads, never joined.
    loop.set_default_executor(_DaemonThreads())
    try:
        outcomes = loop.run_until_complete(_check_all(targets, settings, progress))
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
    return {address: outcomes[urldefrag(address).url] for address in addresses}


async def _check_all(
    targets: list[str], settings: Settings, progress: Progress | None
) -> dict[str, Outcome]:
    workers = asyncio.Semaphore(settings.workers)
    sites: dict[str, asyncio.Semaphore] = {}
    waiting: list[str] = []
    outcomes: dict[str, Outcome] = {}
    client = httpx.AsyncClient(
        timeout=settings.timeout,
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.8"},
        limits=httpx.Limits(max_connections=settings.workers),
    )

    async def one(url: str) -> None:
        site = sites.setdefault(urlsplit(url).hostname or "", asyncio.Semaphore(settings.per_site))
        async with site:
            waiting.append(url)
            try:
                outcomes[url] = await _check(client, url, settings, workers)
            finally:
                waiting.remove(url)

    async def ticker(progress: Progress) -> None:
        while True:
            await asyncio.sleep(progress.tick_every)
            progress.tick(len(outcomes), len(targets), list(waiting))

    ticking = asyncio.ensure_future(ticker(progress)) if progress else None
    try:
        async with client:
            await asyncio.gather(*(one(url) for url in targets))
    finally:
        if ticking:
            ticking.cancel()
    return outcomes


async def _check(
    client: httpx.AsyncClient, address: str, settings: Settings, workers: asyncio.Semaphore
) -> Outcome:
    """One address, with retries; waits happen outside the worker slot."""
    attempt, limited = 0, 0
    while True:
        wait = settings.retry_pause
        try:
            async with workers:
                return await _follow(client, address, settings)
        except _RateLimited as asked:
            limited += 1
            if asked.wait is None or asked.wait > settings.longest_wait:
                return Outcome(RATE_LIMITED, _rate_limit_detail(asked.wait), status=429)
            if limited >= settings.rate_limit_tries:
                detail = f"still 429 Too Many Requests after {limited} tries"
                return Outcome(RATE_LIMITED, detail, status=429)
            wait = asked.wait
        except _Failed as failure:
            attempt += 1
            if not failure.retry or attempt >= settings.attempts:
                return failure.outcome
        await asyncio.sleep(wait)


async def _follow(client: httpx.AsyncClient, address: str, settings: Settings) -> Outcome:
    """Follow redirects hop by hop from `address` (without a fragment) to an answer."""
    url = address
    chain = [url]
    statuses: list[int] = []
    update_to = None  # where the leading run of permanent redirects ends
    for _ in range(settings.max_redirects + 1):
        response = await _request(client, url, settings)
        status, location = response.status_code, response.headers.get("location")
        if status in REDIRECTS and location:
            target = urldefrag(urljoin(url, location)).url
            if status in PERMANENT and all(s in PERMANENT for s in statuses):
                update_to = target
            statuses.append(status)
            if target in chain:
                return Outcome(BROKEN, "it redirects in a loop", status=status, final=target)
            chain.append(target)
            url = target
        elif status == 429:
            raise _RateLimited(_retry_after(response.headers.get("retry-after")))
        elif 200 <= status < 300:
            if not statuses:
                return Outcome(WORKING, status=status)
            detail = _moved(statuses)
            return Outcome(REDIRECTED, detail, statuses[0], final=url, update_to=update_to)
        else:
            detail = _status_text(status) + (f" at {url}, after a redirect" if statuses else "")
            outcome = Outcome(BROKEN, detail, status=status, final=url)
            if status in RETRY_STATUSES:
                raise _Failed(outcome, retry=True)
            return outcome
    return Outcome(BROKEN, f"more than {settings.max_redirects} redirects", final=url)


async def _request(client: httpx.AsyncClient, url: str, settings: Settings) -> httpx.Response:
    """HEAD, or GET when the server refuses HEAD; the body is never read."""
    try:
        # httpx times each phase; this bounds the whole request, name lookup included.
        async with asyncio.timeout(settings.timeout + 1):
            response = await client.head(url)
            if response.status_code >= 400 and response.status_code != 429:
                response = await client.send(client.build_request("GET", url), stream=True)
                await response.aclose()
            return response
    except (httpx.HTTPError, OSError, ValueError, TimeoutError) as error:
        raise _Failed(*_describe(error, url, settings)) from error


def _describe(error: BaseException, url: str, settings: Settings) -> tuple[Outcome, bool]:
    """An error in words, and whether asking again might help."""
    host = urlsplit(url).hostname or url
    if isinstance(error, httpx.TimeoutException | TimeoutError):
        # A site that took the connection but was slow to answer may do better next
        # time; one that never took it (or whose name never resolved) rarely does, and
        # asking again would double the wait of a run on a computer that is offline.
        connected = not isinstance(error, httpx.ConnectTimeout | TimeoutError)
        detail = f"no answer within {settings.timeout:g} s"
        unreachable = isinstance(error, httpx.ConnectTimeout)
        return Outcome(TIMED_OUT, detail, unreachable=unreachable), connected
    for cause in _causes(error):
        if isinstance(cause, socket.gaierror):
            return Outcome(BROKEN, f"the name {host} does not resolve", unreachable=True), False
        if isinstance(cause, ssl.SSLCertVerificationError):
            reason = cause.verify_message or "it cannot be verified"
            return Outcome(BROKEN, f"bad certificate: {reason}"), False
        if isinstance(cause, ssl.SSLError):
            reason = cause.reason or str(cause)
            return Outcome(BROKEN, f"the secure connection failed: {reason}"), False
        if isinstance(cause, ConnectionRefusedError):
            return Outcome(BROKEN, "the connection was refused", unreachable=True), False
        if isinstance(cause, OSError) and cause.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return Outcome(BROKEN, f"there is no route to {host}", unreachable=True), False
    if isinstance(error, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return Outcome(BROKEN, "the server closed the connection without answering"), True
    if isinstance(error, httpx.InvalidURL | httpx.UnsupportedProtocol | ValueError):
        return Outcome(BROKEN, "not a web address that can be opened"), False
    return Outcome(BROKEN, str(error) or type(error).__name__), False


def _causes(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait, from `Retry-After` (seconds or an HTTP date); None if unreadable."""
    if value is None:
        return 5.0  # no advice: a short pause, then ask again
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _rate_limit_detail(wait: float | None) -> str:
    if wait is None:
        return "429 Too Many Requests"
    return f"429 Too Many Requests, asked to wait {wait:.0f} s"


def _moved(statuses: list[int]) -> str:
    if all(s in PERMANENT for s in statuses):
        return "moved permanently"
    if statuses[0] in PERMANENT:
        return "moved permanently, then temporarily"
    return "moved temporarily"


def _status_text(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


class _DaemonThreads(concurrent.futures.ThreadPoolExecutor):
    """Runs each call in its own daemon thread, which the interpreter never waits for."""

    def submit(
        self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any
    ) -> concurrent.futures.Future[Any]:
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()

        def run() -> None:
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(fn(*args, **kwargs))
                except BaseException as error:
                    future.set_exception(error)

        threading.Thread(target=run, daemon=True).start()
        return future
