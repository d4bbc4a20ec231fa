"""Full-text search of the practice library that understands Dutch: "formulieren" finds a sheet that says
"formulier".

On PostgreSQL the text is searched with its `dutch` configuration (a GIN index over the same expression);
the title weighs most, then the summary, then the body. On the embedded SQLite database an FTS5 table holds
each sheet's words reduced to their stem by the Dutch Snowball stemmer (snowballstemmer), the query is
stemmed the same way, and bm25 ranks with the same weights. Both return practice ids, best first."""

import re

import snowballstemmer
import sqlalchemy as sa

from ..extensions import db

SQLITE_TABLE = "practice_search"  # with FTS5's own tables, practice_search_*
PG_INDEX = "ix_practices_search"

# The weighted document on PostgreSQL, identical in the index (migrations) and in every query.
PG_DOCUMENT = (
    "setweight(to_tsvector('dutch', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('dutch', coalesce(summary, '')), 'B') || "
    "setweight(to_tsvector('dutch', coalesce(body, '')), 'C')"
)
WORD = re.compile(r"\w+", re.UNICODE)
_stemmer = snowballstemmer.stemmer("dutch")


def is_search_object(name: str | None) -> bool:
    """The search table and index live outside the models: migrations make them, schema checks skip them."""
    return bool(name) and (name in (PG_INDEX, SQLITE_TABLE) or name.startswith(SQLITE_TABLE + "_"))


def stems(text: str) -> list[str]:
    """The Dutch stems of the words of a text, in order."""
    return _stemmer.stemWords([w.lower() for w in WORD.findall(text or "")])


def _dialect() -> str:
    return db.engine.dialect.name


def index(practice) -> None:
    """Keep the SQLite search table in step with a sheet (PostgreSQL indexes the table itself)."""
    if _dialect() != "sqlite":
        return
    db.session.execute(sa.text(f"DELETE FROM {SQLITE_TABLE} WHERE rowid = :id"), {"id": practice.id})
    db.session.execute(
        sa.text(f"INSERT INTO {SQLITE_TABLE} (rowid, title, summary, body) VALUES (:id, :t, :s, :b)"),
        {
            "id": practice.id,
            "t": " ".join(stems(practice.title)),
            "s": " ".join(stems(practice.summary)),
            "b": " ".join(stems(practice.body)),
        },
    )


def ranked_ids(query: str, candidate_ids=None) -> list[int]:
    """The ids of the sheets that hold every word of the query (in any form), best first."""
    words = stems(query)
    if not words:
        return []
    if _dialect() == "postgresql":
        stmt = sa.text(
            f"SELECT id FROM practices WHERE ({PG_DOCUMENT}) @@ plainto_tsquery('dutch', :q) "
            f"ORDER BY ts_rank({PG_DOCUMENT}, plainto_tsquery('dutch', :q)) DESC, id"
        )
        found = db.session.scalars(stmt, {"q": query}).all()
    else:
        match = " ".join('"' + w.replace('"', "") + '"' for w in words)
        stmt = sa.text(
            f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH :q "
            f"ORDER BY bm25({SQLITE_TABLE}, 10.0, 4.0, 1.0), rowid"
        )
        found = db.session.scalars(stmt, {"q": match}).all()
    if candidate_ids is not None:
        allowed = set(candidate_ids)
        found = [i for i in found if i in allowed]
    return list(found)


def rebuild() -> None:
    """Index every sheet again (after a restore of the database, for example)."""
    from .models import Practice

    if _dialect() != "sqlite":
        return
    db.session.execute(sa.text(f"DELETE FROM {SQLITE_TABLE}"))
    for practice in db.session.scalars(sa.select(Practice)):
        index(practice)
