"""``/api/v1/me``: who the API token or session belongs to, and their API tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, Field

from athar.accounts.tokens import DEFAULT_DAYS, TokenInfo
from athar.accounts.users import Accounts, User
from athar.api.errors import error_responses
from athar.http.auth import get_accounts, require_roles

__all__ = ["MeOut", "NewTokenOut", "TokenIn", "TokenOut", "me", "my_tokens", "new_token", "revoke_token",
           "router"]

router = APIRouter(prefix="/api/v1", tags=["account"])


LoggedIn = Annotated[User, Depends(require_roles())]
AccountsDep = Annotated[Accounts, Depends(get_accounts)]


class MeOut(BaseModel):
    name: str
    roles: list[str]


@router.get("/me", response_model=MeOut, responses=error_responses(401, 403))
def me(user: Annotated[User, Depends(require_roles())]) -> MeOut:
    """The logged-in user and their roles."""
    return MeOut(name=user.name, roles=list(user.roles))


class TokenOut(BaseModel):
    token_id: str = Field(description="the first 12 hex digits of the token's SHA-256")
    label: str
    created_at: str
    expires_at: str | None
    revoked_at: str | None
    last_used_at: str | None
    active: bool


class TokenIn(BaseModel):
    label: str = Field("", max_length=200)
    days: int = Field(DEFAULT_DAYS, ge=1, le=366, description="days until it expires")


class NewTokenOut(BaseModel):
    token: str = Field(description="send as `Authorization: Bearer ...`; shown only this once")
    expires_at: str | None


def _token_out(t: TokenInfo) -> TokenOut:
    return TokenOut(token_id=t.token_id, label=t.label, created_at=t.created_at, expires_at=t.expires_at,
                    revoked_at=t.revoked_at, last_used_at=t.last_used_at, active=t.active)


@router.get("/me/tokens", response_model=list[TokenOut], responses=error_responses(401, 403))
def my_tokens(user: LoggedIn, accounts: AccountsDep) -> list[TokenOut]:
    """The caller's API tokens, newest first (ids and dates, never the tokens)."""
    return [_token_out(t) for t in accounts.tokens.list(user.name)]


@router.post("/me/tokens", response_model=NewTokenOut, status_code=201,
             responses=error_responses(400, 401, 403, 422))
def new_token(payload: TokenIn, user: LoggedIn, accounts: AccountsDep) -> NewTokenOut:
    """Make an API token for the caller, valid ``days`` days."""
    token = accounts.create_token(user.name, payload.label, payload.days)
    return NewTokenOut(token=token, expires_at=accounts.tokens.info(token).expires_at)


@router.delete("/me/tokens/{token_id}", status_code=204, responses=error_responses(401, 403, 404))
def revoke_token(token_id: str, user: LoggedIn, accounts: AccountsDep) -> Response:
    """Revoke one of the caller's tokens at once."""
    accounts.tokens.revoke(user.name, token_id)
    return Response(status_code=204)
