"""The database adapter: SQLite or PostgreSQL behind one interface, the tables and their migrations.

:mod:`~athar.store.db` connects and runs statements; :mod:`~athar.store.tables`
defines every table once; :mod:`~athar.store.migrate` and ``migrations/`` keep
a database's schema at the revision this Athar needs.
"""
