"""The password policy: the weak and common passwords of the audit are refused, good ones pass."""

from __future__ import annotations

import pytest

from athar.accounts.passwords import MIN_LENGTH, REASONS, check_password
from athar.accounts.users import generate_password
from athar.errors import ConfigError

REFUSED = {
    "password": "too_short",
    "12345678": "too_short",
    " " * 8: "blank",
    " " * 40: "blank",
    "": "too_short",
    "Passw0rd!": "too_short",
    "aaaaaaaaaaaa": "repetitive",
    "abababababab": "repetitive",
    "1234567890": "one_kind",
    "qwertyuiopas": "one_kind",
    "QWERTYUIOPAS": "one_kind",
    "password123": "common",
    "PassWord1234": "common",
    "1234qwerty": "common",
    "iloveyou2024": "common",
    "Samira-2024!": "contains_name",
    "samira samira samira": "contains_name",
    "P@ssw0rd2024": "common",
    "January1990!": "guessable",
    "Dragon!Dragon!": "guessable",
    "Qwerty123456!": "guessable",
    "x" * 1025: "too_long",
}
ACCEPTED = ["correct horse battery", "another password", "a good password", "chosen password",
            "kareem's long password", "my own password", "tiny-Otter-9-lamp", "a long password 2",
            "glacier marmalade ostrich",
            "samira's own long password"]


@pytest.mark.parametrize(("password", "reason"), REFUSED.items(), ids=repr)
def test_weak_and_common_passwords_are_refused_with_a_reason(password, reason):
    with pytest.raises(ConfigError) as exc:
        check_password(password, "samira")
    assert exc.value.details == {"reason": reason}
    assert exc.value.message == REASONS[reason]


@pytest.mark.parametrize("password", ACCEPTED)
def test_good_passwords_pass(password):
    check_password(password, "samira")


def test_every_message_says_what_to_do():
    for reason, message in REASONS.items():
        assert any(w in message for w in ("use", "choose", "add", "make", "must", "needs", "may")), reason
    assert str(MIN_LENGTH) in REASONS["too_short"]


def test_generated_passwords_always_pass():
    for _ in range(50):
        check_password(generate_password(), "admin")


def test_the_list_comes_from_the_installed_zxcvbn_package():
    from athar.accounts.passwords import _common

    assert len(_common()) >= 30_000 and {"password", "12345678", "qwerty"} <= _common()
