"""The login throttle on a fake clock: delays grow exponentially per key, successes and time forgive."""

from __future__ import annotations

import pytest

from athar.errors import RateLimited
from athar.http.throttle import LoginThrottle, _address_key


def _throttle(**kw):
    now = [1000.0]
    t = LoginThrottle(clock=lambda: now[0], **kw)
    return t, now


def test_delays_double_after_the_free_failures_up_to_the_cap():
    t, now = _throttle(free_pair=2, free_address=1000, base=1, max_delay=30)
    waits = []
    for _ in range(10):
        t.check("amal", "1.2.3.4")  # allowed: the wait was served
        t.failed("amal", "1.2.3.4")
        waits.append(t.wait("amal", "1.2.3.4"))
        now[0] += waits[-1]
    assert waits == [0, 1, 2, 4, 8, 16, 30, 30, 30, 30]


def test_a_try_too_soon_is_refused_with_the_time_to_wait():
    t, now = _throttle(free_pair=1, base=10)
    t.failed("amal", "1.2.3.4")
    with pytest.raises(RateLimited) as exc:
        t.check("amal", "1.2.3.4")
    assert exc.value.details == {"retry_after_s": 11}
    now[0] += 10
    t.check("amal", "1.2.3.4")


def test_guesses_in_a_day_are_few():
    """An attacker who waits out every delay gets about a hundred guesses a day per account and address."""
    t, now = _throttle()
    start, guesses = now[0], 0
    while now[0] - start < 86400:
        now[0] += t.wait("amal", "1.2.3.4")
        t.failed("amal", "1.2.3.4")
        guesses += 1
    assert guesses < 110


def test_other_addresses_and_accounts_are_not_held_up():
    t, _ = _throttle(free_pair=1, free_address=1000, base=60)
    for _ in range(5):
        t.failed("amal", "1.2.3.4")
    assert t.wait("amal", "1.2.3.4") > 0
    assert t.wait("amal", "5.6.7.8") == 0
    assert t.wait("badr", "1.2.3.4") == 0


def test_a_success_forgives_its_pair_and_makes_it_known():
    t, _ = _throttle(free_pair=3, free_address=2, base=60)
    t.succeeded("amal", "1.2.3.4")
    for name in ("x", "y", "z"):
        t.failed(name, "1.2.3.4")
    assert t.wait("badr", "1.2.3.4") > 0  # the address is suspect for strangers
    assert t.wait("amal", "1.2.3.4") == 0  # not for a user who signed in from it


def test_failures_are_forgotten_after_a_quiet_day():
    t, now = _throttle(free_pair=1, base=1, max_delay=10, forget_after=3600)
    for _ in range(20):
        t.failed("amal", "1.2.3.4")
    now[0] += 3601
    assert t.wait("amal", "1.2.3.4") == 0
    t.failed("amal", "1.2.3.4")
    assert t.wait("amal", "1.2.3.4") == 1  # the count started again: one failure, not 21
    t2, now2 = _throttle(free_pair=1, base=1, max_delay=10, forget_after=3600)
    for _ in range(20):
        t2.failed("amal", "1.2.3.4")
    now2[0] += 3601
    t2.failed("amal", "1.2.3.4")  # no wait() in between: failed() forgets too
    assert t2.wait("amal", "1.2.3.4") == 1


def test_ipv6_is_counted_by_its_64_and_memory_is_bounded():
    assert _address_key("2001:db8:1:2:aaaa::1") == _address_key("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64"
    assert _address_key("::ffff:192.0.2.1") == "192.0.2.1"
    assert _address_key("testclient") == "testclient"
    t, _ = _throttle(max_keys=100)
    for i in range(1000):
        t.failed(f"user{i}", "1.2.3.4")
    assert len(t._failures) <= 101
