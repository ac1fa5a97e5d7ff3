"""The login throttle: failed sign-ins slow further guesses down exponentially, and lock no one out."""

from __future__ import annotations

import ipaddress
import threading
import time
from collections.abc import Callable
from typing import Any

from athar.errors import RateLimited

__all__ = ["LoginThrottle"]


class LoginThrottle:
    """Growing delays between failed logins per (account, address) and per address; no lockout.

    Each key, ``(name, address)`` and ``address`` alone, counts its failures.
    The first :attr:`free_pair` (per pair) or :attr:`free_address` (per
    address) cost nothing; after that the next attempt from that key is
    refused, without looking at the password, until ``base * 2^(n - free)``
    seconds (at most :attr:`max_delay`) have passed since the last failure. So
    guessing is slowed exponentially, while:

    - the owner typing the right password from another address is never
      delayed by someone else's guesses (the pair differs, and so does the address);
    - behind a shared address (a NAT), a user who has signed in from that
      address before is not held up by the address's failures, only by their
      own pair's: a colleague's typos or an attacker spraying many names from
      the same address lock no one out; those who never signed in from there
      wait, at most :attr:`max_delay`;
    - a success clears its pair; a key with no failure for :attr:`forget_after`
      seconds is forgotten.

    IPv6 addresses are counted by their /64 (one host usually holds the whole
    prefix). In memory, per server process: a deployment with several workers
    should throttle at its reverse proxy too.
    """

    def __init__(self, *, free_pair: int = 3, free_address: int = 20, base: float = 1.0,
                 max_delay: float = 900.0, forget_after: float = 86400.0,
                 clock: Callable[[], float] = time.monotonic, max_keys: int = 100_000) -> None:
        self.free_pair = free_pair
        self.free_address = free_address
        self.base = base
        self.max_delay = max_delay
        self.forget_after = forget_after
        self.max_keys = max_keys
        self._clock = clock
        self._failures: dict[tuple[str, ...], tuple[int, float]] = {}  # key -> (count, last failure)
        self._known: dict[tuple[str, str], float] = {}  # (name, address) that signed in -> when
        self._lock = threading.Lock()

    def delay(self, failures: int, free: int) -> float:
        """Seconds to wait after the last of ``failures`` failures when ``free`` cost nothing."""
        if failures < free:
            return 0.0
        return float(min(self.base * 2.0 ** min(failures - free, 62), self.max_delay))

    def _wait(self, key: tuple[str, ...], free: int, now: float) -> float:
        count, last = self._failures.get(key, (0, now))
        if now - last > self.forget_after:
            self._failures.pop(key, None)
            return 0.0
        return max(0.0, last + self.delay(count, free) - now)

    def wait(self, name: str, address: str) -> float:
        """Seconds before an attempt for ``name`` from ``address`` may be checked (0: now)."""
        addr, now = _address_key(address), self._clock()
        with self._lock:
            wait = self._wait(("pair", name, addr), self.free_pair, now)
            if (name, addr) not in self._known:
                wait = max(wait, self._wait(("addr", addr), self.free_address, now))
            return wait

    def check(self, name: str, address: str) -> None:
        """Raise RateLimited (with ``retry_after_s``) while this attempt must wait."""
        wait = self.wait(name, address)
        if wait > 0:
            raise RateLimited("too many failed logins from here: wait before trying again",
                              retry_after_s=int(wait) + 1)

    def failed(self, name: str, address: str) -> None:
        """Count one failed login."""
        addr, now = _address_key(address), self._clock()
        with self._lock:
            for key in (("pair", name, addr), ("addr", addr)):
                count, last = self._failures.get(key, (0, now))
                self._failures[key] = (1 if now - last > self.forget_after else count + 1, now)
            self._bound(self._failures)

    def succeeded(self, name: str, address: str) -> None:
        """A good login: its pair's failures are forgotten and the pair is known from now on."""
        addr = _address_key(address)
        with self._lock:
            self._failures.pop(("pair", name, addr), None)
            self._known[(name, addr)] = self._clock()
            self._bound(self._known)

    def _bound(self, table: dict[Any, Any]) -> None:
        """Keep memory bounded under a flood of names: drop the oldest half past ``max_keys``."""
        if len(table) > self.max_keys:
            for key in list(table)[: len(table) // 2]:
                del table[key]


def _address_key(address: str) -> str:
    """The address as throttled: an IPv6 address by its /64, anything else as it is."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)
