"""The Jinja2 templates every page renders with, and what each page knows about its visitor.

Every template gets ``lang`` and ``dir`` (the interface language and its
direction), ``user`` (the logged-in :class:`~athar.accounts.users.User` or None),
``csrf_token`` (for the hidden field of every form) and ``languages`` (for the
switch in the header); ``_`` translates. The labels of the custody model's codes
and of the actors' roles (:mod:`athar.web.labels`) are globals; ``_format.html`` holds the shared macros
for dates (``day``) and lists joined by the translatable separator (``names``,
``joined``). The filter ``http_url`` keeps a stored URL only when it is http(s), so a
link is never made of a ``javascript:`` or ``data:`` URL (``{% if u|http_url %}<a href=...>``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates

from athar.errors import AuthError, IntakeError
from athar.http.auth import current_user
from athar.http.sessions import get_session
from athar.incidents.service import check_http_url
from athar.web import i18n, labels

__all__ = ["http_url", "page_context", "templates"]


def http_url(value: object) -> str | None:
    """``value`` when it is an http(s) URL with a host, else None (never a link to a script)."""
    if not isinstance(value, str):
        return None
    try:
        check_http_url(value)
    except IntakeError:
        return None
    return value


def page_context(request: Request) -> dict[str, Any]:
    """The visitor's language, user and CSRF token, for every template."""
    lang = i18n.language_of(request)
    i18n.activate(lang)
    try:
        user = current_user(request)
    except AuthError:
        user = None
    return {"lang": lang, "dir": i18n.direction(lang), "user": user, "languages": i18n.LANGUAGES,
            "csrf_token": get_session(request).csrf_token()}


templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"),
                            context_processors=[page_context])
i18n.install(templates.env)
templates.env.filters["http_url"] = http_url
templates.env.globals.update(exhibit_kind_label=labels.exhibit_kind_label,
                             event_label=labels.event_label,
                             seal_state_label=labels.seal_state_label,
                             correction_reason_label=labels.correction_reason_label,
                             role_label=labels.role_label,
                             entry_kind_label=labels.entry_kind_label)
