"""SQLite needs foreign keys switched on per connection, and a busy timeout for concurrent writers."""

from sqlalchemy import event


def enable_sqlite_pragmas(engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, connection_record):  # pragma: no cover - trivial
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL keeps the database consistent through any crash and skips the disk flush on
        # every commit (the audit entry of each page view is one): only a power cut may lose the last ones.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
