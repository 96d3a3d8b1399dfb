"""Running counts behind `stats`: how many items one figure counts in one month."""

from __future__ import annotations

from sqlmodel import Field, SQLModel

from storage.models._base import one_of
from storage.vocabulary import CountedFigure

WHOLE_PROGRAM = 0  # the organisation_id of the counts of every organisation together


class StatsCount(SQLModel, table=True):
    """How many items one figure counts in one month, for one organisation or for the whole
    program (`WHOLE_PROGRAM`), by platform, label (the kind reported, the status decided) and
    time bucket (the largest number of seconds it holds; 0 for the figures that are not times).

    Kept by storage/stats_counts.py in the transaction of every change it counts, so `stats` reads
    a few rows per month whatever the number of items.
    """

    __tablename__ = "stats_count"
    __table_args__ = (one_of("figure", CountedFigure),)

    organisation_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    figure: str = Field(primary_key=True, max_length=16)
    month: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    platform: str = Field(default="", primary_key=True, max_length=16)
    label: str = Field(default="", primary_key=True, max_length=20)
    bucket: int = Field(default=0, primary_key=True, sa_column_kwargs={"autoincrement": False})
    n: int = 0
