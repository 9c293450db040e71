"""Jianguan's SQLite backend (``ENGINE = "jianguan.core.sqlite"``): Django's, tuned for serving.

- Connections persist (``CONN_MAX_AGE`` in settings), so a request no longer pays for a connection and its set-up.
- Each new connection gets only the pragmas that belong to a connection and cost nothing (``PRAGMAS``): the busy
  timeout comes from ``OPTIONS["timeout"]``.
- ``journal_mode=WAL`` belongs to the database file, not the connection, and switching it takes a lock: it is set
  once, when ``migrate`` runs (``ensure_wal`` on ``pre_migrate``) and when ``jianguan serve`` starts, instead of on
  every connection.
- ``transaction.atomic`` begins ``IMMEDIATE`` (``OPTIONS["transaction_mode"]``): a write transaction takes the write
  lock at BEGIN, so it waits for the busy timeout instead of failing with "database is locked" when it upgrades
  from reading to writing. A block that only reads uses ``jianguan.core.transactions.read_only``, which begins
  ``DEFERRED``: a read transaction that never takes the write lock, so writers go on while it reads.
"""
