"""The HTTP plumbing the JSON API and the web pages share.

Authentication and CSRF (:mod:`~athar.http.auth`), signed session cookies and
the login limiter (:mod:`~athar.http.sessions`), FastAPI dependencies and read
helpers (:mod:`~athar.http.deps`) and streamed uploads (:mod:`~athar.http.uploads`).
:mod:`athar.api` and :mod:`athar.web` both build on it and never import each
other; :mod:`athar.app` assembles them.
"""
