"""The password policy: long enough, not one kind of character, not common, not guessable.

:func:`check_password` refuses, with a message that says what to do instead:

- fewer than :data:`MIN_LENGTH` characters, or more than :data:`MAX_LENGTH`;
- spaces only, or fewer than :data:`MIN_DISTINCT` different characters
  (``"aaaaaaaaaa"``, ``"abababab12"``);
- one kind of character only (all digits, all lower-case letters ...) when
  shorter than :data:`ONE_KIND_OK` (a long passphrase of plain words is fine);
- a password on the list of common passwords (ignoring case, spaces and digits
  at either end), or one that is too short once the user's own name is taken out;
- a password that zxcvbn still judges easy to guess (score below
  :data:`MIN_SCORE`: about 10^8 guesses), which catches keyboard walks, dates,
  and common words with letters swapped for digits (``P@ssw0rd``).

The list and the estimator are the ``zxcvbn`` package from PyPI (also Debian's
``python3-zxcvbn``): Dropbox's zxcvbn in Python, which bundles its frequency
lists, among them 30,000 common passwords. Nothing is fetched at run time.

Each refusal is a :class:`~athar.errors.ConfigError` whose ``reason`` detail
(:data:`REASONS`) lets a page show the message in its own language.
"""

from __future__ import annotations

import functools
import string

from athar.errors import ConfigError

__all__ = ["MAX_LENGTH", "MIN_DISTINCT", "MIN_LENGTH", "MIN_SCORE", "ONE_KIND_OK", "REASONS",
           "check_password"]

MIN_LENGTH = 10
MAX_LENGTH = 1024
MIN_DISTINCT = 5
ONE_KIND_OK = 16
MIN_SCORE = 3
_SCORED = 100  # zxcvbn's cost grows fast with length; the first 100 characters decide

REASONS = {
    "too_short": f"a password needs at least {MIN_LENGTH} characters: "
                 "use a few unrelated words, or let `athar users add` make one",
    "too_long": f"a password may have at most {MAX_LENGTH} characters",
    "blank": "a password cannot be only spaces: use a few unrelated words",
    "repetitive": "a password needs more different characters: "
                  "repeated or alternating characters are guessed first",
    "one_kind": f"a password of one kind of character (only digits, only letters ...) needs at least "
                f"{ONE_KIND_OK} characters: make it longer, or mix in other kinds",
    "common": "this password is on the list of common passwords that attackers try first: "
              "choose another, such as a few unrelated words",
    "contains_name": f"the user name does not count in a password: add at least {MIN_LENGTH} "
                     "other characters, such as a few unrelated words",
    "guessable": "this password is too easy to guess (a pattern, a date or a common word in "
                 "disguise): add another unrelated word, or let `athar users add` make one",
}


@functools.cache
def _common() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def _kinds(password: str) -> int:
    groups = (string.ascii_lowercase, string.ascii_uppercase, string.digits)
    kinds = {next((i for i, g in enumerate(groups) if c in g), 3 if c.isalpha() else 4)
             for c in password}
    return len(kinds)


def _refuse(reason: str) -> ConfigError:
    return ConfigError(REASONS[reason], reason=reason)


def check_password(password: str, user_name: str = "") -> None:
    """Return when ``password`` may be used by ``user_name``; ConfigError saying why not otherwise."""
    if len(password) > MAX_LENGTH:
        raise _refuse("too_long")
    if not password.strip():
        raise _refuse("blank" if password else "too_short")
    if len(password) < MIN_LENGTH:
        raise _refuse("too_short")
    if len(set(password.lower())) < MIN_DISTINCT:
        raise _refuse("repetitive")
    if _kinds(password) == 1 and len(password) < ONE_KIND_OK:
        raise _refuse("one_kind")
    folded = "".join(password.lower().split())
    if folded in _common() or folded.strip(string.digits) in _common():
        raise _refuse("common")
    if len(user_name) >= 3 and len(folded.replace(user_name.lower(), "")) < MIN_LENGTH:
        raise _refuse("contains_name")
    from zxcvbn import zxcvbn

    if zxcvbn(password[:_SCORED], user_inputs=[user_name] if user_name else [])["score"] < MIN_SCORE:
        raise _refuse("guessable")
