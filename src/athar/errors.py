"""Athar's one error hierarchy.

Every failure Athar reports on purpose is an :class:`AtharError`; the API maps
them to HTTP statuses in one handler and the CLI prints their message and exits
non-zero. Messages say what went wrong *and* what to do about it.

::

    AtharError
    ├── ConfigError            bad settings, missing workspace or key
    ├── NotFound               no such entry, exhibit, report, user ...
    ├── IntegrityError         stored data contradicts itself (tampering, corruption)
    ├── StoreError             the database or blob store failed
    ├── IntakeError            a report could not be read or analysed
    ├── EntryRejected          an entry failed its checks before sequencing
    │   ├── CustodyRuleViolation
    │   └── Conflict           made on a stale view: someone else changed it first (409)
    ├── AuthError              not logged in (401)
    │   ├── Forbidden          logged in, not allowed (403)
    │   └── RateLimited        too many failed logins (429)
    └── VerificationError      a proof, signature or bundle does not verify
        ├── RootMismatch
        ├── InvalidProof
        └── InvalidSignature
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AtharError",
    "AuthError",
    "ConfigError",
    "Conflict",
    "CustodyRuleViolation",
    "EntryRejected",
    "Forbidden",
    "IntakeError",
    "IntegrityError",
    "InvalidProof",
    "InvalidSignature",
    "NotFound",
    "RateLimited",
    "RootMismatch",
    "StoreError",
    "VerificationError",
]


class AtharError(Exception):
    """Base of every error Athar raises on purpose.

    ``code`` is a short stable identifier used in the JSON error shape;
    ``details`` carries structured context (an index, a field name).
    """

    code = "athar_error"
    http_status = 500

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def diagnostics(self) -> dict[str, Any]:
        """Return a JSON-serialisable description of this error."""
        return {"code": self.code, "message": self.message, "details": self.details}


class ConfigError(AtharError):
    code = "config_error"
    http_status = 500


class NotFound(AtharError):
    code = "not_found"
    http_status = 404


class IntegrityError(AtharError):
    code = "integrity_error"
    http_status = 500


class StoreError(AtharError):
    code = "store_error"
    http_status = 503


class IntakeError(AtharError):
    code = "intake_error"
    http_status = 422


class EntryRejected(AtharError):
    code = "entry_rejected"
    http_status = 422


class CustodyRuleViolation(EntryRejected):
    code = "custody_rule_violation"
    http_status = 409


class Conflict(EntryRejected):
    """The entry was made on a view someone else has changed since: reload and decide again."""

    code = "conflict"
    http_status = 409


class AuthError(AtharError):
    code = "unauthorized"
    http_status = 401


class Forbidden(AuthError):
    code = "forbidden"
    http_status = 403


class RateLimited(AuthError):
    """Too many failed logins for a user name or from one address."""

    code = "rate_limited"
    http_status = 429


class VerificationError(AtharError):
    code = "verification_failed"
    http_status = 422


class RootMismatch(VerificationError):
    code = "root_mismatch"


class InvalidProof(VerificationError):
    code = "invalid_proof"


class InvalidSignature(VerificationError):
    code = "invalid_signature"
