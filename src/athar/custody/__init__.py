"""Chain of custody: exhibits, signed custody events, their rules, blob stores and checks.

Pure modules (``models``, ``events``, ``commitments``, ``rules``, ``identity``,
``verify``) import no database or web code; ``hook``, ``service``,
``blobstore`` and ``keys`` are the adapters. Importing this package imports
nothing else, so the offline verifier stays minimal.
"""
