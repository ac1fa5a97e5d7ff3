"""``/api/v1/me``: who the API token or session belongs to."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from athar.accounts.users import User
from athar.api.errors import error_responses
from athar.http.auth import require_roles

__all__ = ["MeOut", "me", "router"]

router = APIRouter(prefix="/api/v1", tags=["account"])


class MeOut(BaseModel):
    name: str
    roles: list[str]


@router.get("/me", response_model=MeOut, responses=error_responses(401, 403))
def me(user: Annotated[User, Depends(require_roles())]) -> MeOut:
    """The logged-in user and their roles."""
    return MeOut(name=user.name, roles=list(user.roles))
