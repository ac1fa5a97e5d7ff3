"""Accounts and identity for people using the server: users, passwords, API tokens, actor keys.

:mod:`athar.accounts.users` keeps the ``users`` and ``api_tokens`` tables;
:mod:`athar.accounts.actor_keys` gives every custody-capable user an Ed25519 key
of their own and registers it in the log. Both the JSON API and the web pages
use this package (through :mod:`athar.http`); it knows nothing of HTTP.
"""
