"""A program-sized SQLite database: 1,000,000 items in 100,000 complaints of 200 organisations
over 24 months, with outcomes, appeals and 5,000 closed storefronts, and the running counts of
`stats` counted from them; every third case is assigned to the team member `team1`.

Built once into bench/.data/ (the migrations first, then plain sqlite3 for speed) and reused
while the schema revision is the same.
"""

from __future__ import annotations

import hashlib
import random
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from storage.database import MIGRATIONS, Database
from storage.models import month_of
from storage.stats_counts import recount_statements

DATA = Path(__file__).parent / ".data"
ORGANISATIONS = 200
COMPLAINTS = 100_000
ITEMS_PER_COMPLAINT = 10
CLOSED_STOREFRONTS = 5_000
MONTHS = 24
ZONE = ZoneInfo("America/New_York")
OUTCOMES = (  # status, weight
    ("reported", 20), ("removed", 62), ("not_removed", 4), ("not_found", 8), ("counter_notice", 2),
    ("upheld", 2), ("reinstated", 1), ("withdrawn", 1),
)  # fmt: skip
TEAM_MEMBER = ORGANISATIONS + 1  # team1, who is assigned every third case
ASSIGNED_EVERY = 3
PLATFORMS = ("taobao", "tmall", "aliexpress", "1688", "alibaba", "tmall_global")


def stamp(moment: datetime) -> str:
    """The form SQLModel's UTC datetimes take in SQLite."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def program_database(now: datetime, scale: int = 1) -> Path:
    """The database for `now`'s month; `scale` multiplies the complaints (and items) by that much."""
    size = "" if scale == 1 else f"x{scale}-"
    path = DATA / f"program-{size}{_schema_fingerprint()}-{now:%Y%m}.db"
    if not path.exists():
        DATA.mkdir(exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        database = Database(f"sqlite:///{partial}")
        database.upgrade()
        database.dispose()
        _fill(partial, now, COMPLAINTS * scale)
        partial.rename(path)
    return path


def _schema_fingerprint() -> str:
    """Changes whenever a migration, this generator or the counting of `stats`' running counts
    changes, so a stale copy is never reused."""
    digest = hashlib.sha256()
    for source in [*sorted(MIGRATIONS.glob("versions/*.py")), Path(__file__)]:
        digest.update(source.read_bytes())
    digest.update("\n".join(recount_statements()).encode())
    return digest.hexdigest()[:12]


def _fill(path: Path, now: datetime, count: int) -> None:
    rng = random.Random(20170115)
    start = now - timedelta(days=30 * MONTHS)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = OFF")
    created = stamp(start)
    connection.executemany(
        "INSERT INTO organisation (id, slug, name, iacc_member, good_faith, active, created_at) "
        "VALUES (?, ?, ?, 1, 0, 1, ?)",
        [(n, f"org{n}", f"Organisation {n}", created) for n in range(1, ORGANISATIONS + 1)],
    )
    connection.executemany(
        "INSERT INTO member (id, platform, user_id, role, organisation_id, active, created_at) "
        "VALUES (?, 'console', ?, ?, ?, 1, ?)",
        [(n, f"brand{n}", "member", n, created) for n in range(1, ORGANISATIONS + 1)]
        + [(ORGANISATIONS + 1, "team1", "team", None, created)],
    )
    connection.executemany(
        "INSERT INTO ip_right (id, organisation_id, kind, mark, registration_number, jurisdiction, status, luxury, "
        "created_at) "
        "VALUES (?, ?, 'trademark', ?, ?, 'CN', 'verified', 0, ?)",
        [(n, n, f"MARK{n}", str(1_000_000 + n), created) for n in range(1, ORGANISATIONS + 1)],
    )
    statuses, weights = zip(*OUTCOMES, strict=True)
    for batch in _batches(rng, start, now, statuses, weights, count):
        complaints, listings, items = batch
        connection.executemany(
            "INSERT INTO complaint (id, organisation_id, filed_by_id, ip_right_id, platform, kind, reason_code, "
            "status, item_count, assigned_to_id, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, 'listing', 'counterfeit', ?, ?, ?, ?, ?)",
            complaints,
        )
        connection.executemany(
            "INSERT INTO listing (id, platform, external_id, canonical_url, first_seen_at) VALUES (?, ?, ?, ?, ?)",
            listings,
        )
        connection.executemany(
            "INSERT INTO complaint_item (complaint_id, position, organisation_id, platform, kind, listing_id, "
            "original_text, canonical_url, status, reported_at, reported_month, decided_at, decided_month, "
            "removal_seconds, decision_seconds, counter_rounds"
            ") VALUES (?, ?, ?, ?, 'listing', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            items,
        )
    connection.executemany(
        "INSERT INTO storefront (platform, external_id, canonical_url, status, closed_at, closed_by, first_seen_at) "
        "VALUES ('aliexpress', ?, ?, 'closed', ?, 'console:team1', ?)",
        [
            (
                str(n),
                f"https://www.aliexpress.com/store/{n}",
                stamp(start + timedelta(seconds=rng.uniform(0, (now - start).total_seconds()))),
                created,
            )
            for n in range(1, CLOSED_STOREFRONTS + 1)
        ],
    )
    for statement in recount_statements():  # the running counts of `stats`, as the migration counts them
        connection.execute(statement)
    connection.commit()
    connection.execute("ANALYZE")
    connection.close()


def _batches(
    rng: random.Random,
    start: datetime,
    now: datetime,
    statuses: tuple[str, ...],
    weights: tuple[int, ...],
    count: int,
) -> Iterator[tuple[list[tuple[object, ...]], list[tuple[object, ...]], list[tuple[object, ...]]]]:
    span = (now - start).total_seconds()
    complaints: list[tuple[object, ...]] = []
    listings: list[tuple[object, ...]] = []
    items: list[tuple[object, ...]] = []
    listing_id = 0
    for complaint_id in range(1, count + 1):
        organisation = rng.randint(1, ORGANISATIONS)
        platform = PLATFORMS[complaint_id % len(PLATFORMS)]
        filed = start + timedelta(seconds=span * complaint_id / count)
        complaints.append(
            (
                complaint_id,
                organisation,
                organisation,
                organisation,
                platform,
                "in_review",
                ITEMS_PER_COMPLAINT,
                TEAM_MEMBER if complaint_id % ASSIGNED_EVERY == 0 else None,
                stamp(filed),
                stamp(filed),
            )
        )
        for position, status in enumerate(rng.choices(statuses, weights, k=ITEMS_PER_COMPLAINT), start=1):
            listing_id += 1
            url = f"https://example.invalid/{platform}/{listing_id}"
            listings.append((listing_id, platform, str(listing_id), url, stamp(filed)))
            decided = None
            if status not in ("reported", "withdrawn"):
                decided = min(now, filed + timedelta(hours=rng.uniform(2, 24 * 6)))
            removal = (
                int((decided - filed).total_seconds())
                if decided and status in ("removed", "counter_notice", "upheld")
                else None
            )
            items.append((
                complaint_id, position, organisation, platform, listing_id, url, url, status, stamp(filed),
                month_of(filed, ZONE), stamp(decided) if decided else None,
                month_of(decided, ZONE) if decided else None,
                removal, int((decided - filed).total_seconds()) if decided else None,
                1 if status in ("counter_notice", "upheld", "reinstated") else 0,
            ))  # fmt: skip
        if len(items) >= 100_000:
            yield complaints, listings, items
            complaints, listings, items = [], [], []
    if items:
        yield complaints, listings, items
