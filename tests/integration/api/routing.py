"""Walking the app's routes: what each route declares, for tests that check it all."""

from __future__ import annotations


def declared_roles(route) -> frozenset[str] | None:
    """The roles of the route's ``require_roles(...)`` dependency; None when it has none."""
    stack = [getattr(route, "dependant", None)]
    while stack:
        dep = stack.pop()
        if dep is None:
            continue
        roles = getattr(dep.call, "athar_roles", None)
        if roles is not None:
            return frozenset(roles)
        stack.extend(dep.dependencies)
    return None


def _flat(routes):
    """Every route, looking inside included routers (FastAPI >= 0.16x keeps them nested)."""
    for route in routes:
        contexts = getattr(route, "effective_route_contexts", None)
        if contexts is not None:
            yield from contexts()
        else:
            yield route


def method_routes(app):
    """``(method, route)`` for every route of ``app`` and each of its methods but HEAD."""
    for route in _flat(app.routes):
        for method in sorted(getattr(route, "methods", None) or ()):
            if method != "HEAD":
                yield method, route
