"""A scheduled job as a plain JSON document, and back.

APScheduler's own SQL store pickles each job, so whoever can write to the database could run code
in the bot by planting a row. We schedule one kind of job only: `schedules.jobs:fire(<its own id>)`
on a date or at an interval. A document describes exactly that, in plain JSON, and is checked
strictly before it becomes a job again; nothing read from the database is unpickled, and no
callable is looked up by a name it gives.

    {"version": 1, "id": "reminder:3:20261130T150000Z", "func": "schedules.jobs:fire",
     "args": ["reminder:3:20261130T150000Z"],
     "trigger": {"kind": "date", "run_date": "2026-11-30T15:00:00+00:00"},
     "next_run_time": "2026-11-30T15:00:00+00:00", "misfire_grace_time": 3600,
     "coalesce": true, "max_instances": 1}

An interval trigger is `{"kind": "interval", "seconds": 300.0, "start_date": ..., "end_date": null,
"timezone": "UTC", "jitter": null}`.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.job import Job
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from schedules.jobs import AGENDA, DIGEST, MILESTONE, REMINDER, SWEEP

FIRE = "schedules.jobs:fire"
VERSION = 1
MAX_ID_LENGTH = 191  # the job table's id column
EXECUTOR = "default"
EARLIEST_YEAR, LATEST_YEAR = 1970, 9000  # far from datetime's limits, where APScheduler's arithmetic overflows
LONGEST_INTERVAL = timedelta.max.days * 86400  # seconds; NaN and infinity fail the comparison too
KINDS = frozenset({MILESTONE, REMINDER, DIGEST, AGENDA, SWEEP})  # what a job id names, before its first colon
KEYS = frozenset(
    {"version", "id", "func", "args", "trigger", "next_run_time", "misfire_grace_time", "coalesce", "max_instances"}
)
DATE_KEYS = frozenset({"kind", "run_date"})
INTERVAL_KEYS = frozenset({"kind", "seconds", "start_date", "end_date", "timezone", "jitter"})


class RefusedJob(ValueError):
    """A job this store will not hold, or a stored document that does not describe one."""


def encode(job: Job) -> bytes:
    """The job as a JSON document; refuses anything but `fire(<its own id>)` on a date or interval."""
    if job.func_ref != FIRE or tuple(job.args) != (job.id,) or job.kwargs or job.executor != EXECUTOR:
        raise RefusedJob(f"job {job.id!r}: only {FIRE}(job id) on the {EXECUTOR} executor is stored")
    document = {
        "version": VERSION,
        "id": job.id,
        "func": job.func_ref,
        "args": list(job.args),
        "trigger": _trigger_document(job.id, job.trigger),
        "next_run_time": _instant(job.next_run_time),
        "misfire_grace_time": job.misfire_grace_time,
        "coalesce": job.coalesce,
        "max_instances": job.max_instances,
    }
    encoded = json.dumps(document, separators=(",", ":")).encode()
    decode(encoded, job.id)  # what is written must read back: one set of rules for both ways
    return encoded


def decode(document: object, row_id: object) -> dict[str, Any]:
    """The APScheduler job state (`Job.__setstate__`) a stored document describes, or RefusedJob."""
    if not isinstance(document, bytes | memoryview):  # SQLite keeps whatever type a row was given
        raise RefusedJob("not a JSON document (not bytes)")
    try:
        fields = json.loads(bytes(document).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise RefusedJob(f"not a JSON document ({type(error).__name__})") from None
    _expect(isinstance(fields, dict) and fields.keys() == KEYS, f"fields must be exactly {sorted(KEYS)}")
    _expect(_is_int(fields["version"]) and fields["version"] == VERSION, f"version must be {VERSION}")
    job_id = fields["id"]
    _expect(isinstance(job_id, str) and 0 < len(job_id) <= MAX_ID_LENGTH, "id must be a short string")
    _expect(job_id == row_id, "id differs from the row's id")
    _expect(job_id.partition(":")[0] in KINDS, f"id must name an occurrence of {sorted(KINDS)}")
    _expect(fields["func"] == FIRE, f"func must be {FIRE}")
    _expect(fields["args"] == [job_id], "args must be the job id alone")
    grace = fields["misfire_grace_time"]
    _expect(grace is None or (_is_int(grace) and grace > 0), "misfire_grace_time must be null or positive")
    _expect(isinstance(fields["coalesce"], bool), "coalesce must be true or false")
    instances = fields["max_instances"]
    _expect(_is_int(instances) and instances > 0, "max_instances must be a positive integer")
    next_run = fields["next_run_time"]
    return {
        "version": 1,
        "id": job_id,
        "func": FIRE,
        "trigger": _trigger(fields["trigger"]),
        "executor": EXECUTOR,
        "args": (job_id,),
        "kwargs": {},
        "name": FIRE.rpartition(":")[2],
        "misfire_grace_time": grace,
        "coalesce": fields["coalesce"],
        "max_instances": instances,
        "next_run_time": None if next_run is None else _parse_instant(next_run, "next_run_time"),
    }


def _trigger_document(job_id: str, trigger: Any) -> dict[str, Any]:
    if type(trigger) is DateTrigger:
        return {"kind": "date", "run_date": _instant(trigger.run_date)}
    if type(trigger) is IntervalTrigger:
        return {
            "kind": "interval",
            "seconds": trigger.interval.total_seconds(),
            "start_date": _instant(trigger.start_date),
            "end_date": _instant(trigger.end_date),
            "timezone": _zone_name(job_id, trigger.timezone),
            "jitter": trigger.jitter,
        }
    raise RefusedJob(f"job {job_id!r}: only date and interval triggers are stored, not {type(trigger).__name__}")


def _trigger(fields: object) -> DateTrigger | IntervalTrigger:
    if not isinstance(fields, dict):
        raise RefusedJob("trigger must be an object")
    kind = fields.get("kind")
    if kind == "date":
        _expect(fields.keys() == DATE_KEYS, f"a date trigger's fields must be exactly {sorted(DATE_KEYS)}")
        return DateTrigger(run_date=_parse_instant(fields["run_date"], "run_date"), timezone=UTC)
    _expect(kind == "interval", "trigger kind must be date or interval")
    _expect(fields.keys() == INTERVAL_KEYS, f"an interval trigger's fields must be exactly {sorted(INTERVAL_KEYS)}")
    seconds, jitter = fields["seconds"], fields["jitter"]
    _expect(
        isinstance(seconds, int | float) and not isinstance(seconds, bool) and 0 < seconds <= LONGEST_INTERVAL,
        "interval seconds must be a positive number",
    )
    _expect(jitter is None or (_is_int(jitter) and jitter >= 0), "jitter must be null or a whole number of seconds")
    zone = _zone(fields["timezone"])
    end = fields["end_date"]
    return IntervalTrigger(
        seconds=seconds,
        start_date=_parse_instant(fields["start_date"], "start_date").astimezone(zone),
        end_date=None if end is None else _parse_instant(end, "end_date").astimezone(zone),
        timezone=zone,
        jitter=jitter,
    )


def _instant(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _parse_instant(text: object, name: str) -> datetime:
    if not isinstance(text, str):
        raise RefusedJob(f"{name} must be a date and time")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise RefusedJob(f"{name} is not an ISO 8601 date and time") from None
    _expect(moment.utcoffset() is not None, f"{name} must carry its offset")
    try:
        year = moment.astimezone(UTC).year
    except OverflowError:
        year = 0
    _expect(EARLIEST_YEAR <= year <= LATEST_YEAR, f"{name} must fall between {EARLIEST_YEAR} and {LATEST_YEAR}")
    return moment


def _zone_name(job_id: str, zone: tzinfo) -> str:
    if zone is UTC:
        return "UTC"
    if isinstance(zone, ZoneInfo):
        return zone.key
    raise RefusedJob(f"job {job_id!r}: an interval's time zone must be UTC or a named zone, not {zone!r}")


def _zone(name: object) -> tzinfo:
    if not isinstance(name, str):
        raise RefusedJob("timezone must be a zone name")
    if name == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):  # a missing zone is a KeyError; a malformed key a ValueError
        raise RefusedJob("timezone is not a known zone") from None


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _expect(condition: bool, reason: str) -> None:
    if not condition:
        raise RefusedJob(reason)
