"""What `python -m bench` prints for a figure it could not measure: why, beside its target, missed."""

from __future__ import annotations

import pytest

from bench import replicas
from bench.report import Figure


def test_a_figure_not_measured_says_why_beside_its_target_and_counts_as_missed() -> None:
    figure = Figure.not_measured("takeover", "haproxy is not installed", "s", 10.0)
    assert not figure.met
    assert "not measured: haproxy is not installed (target <= 10 s) MISSED" in figure.line()


def test_a_reference_figure_not_measured_counts_as_missed_too() -> None:
    assert not Figure.not_measured("bare acks/s", "no PostgreSQL", "/s").met
    assert Figure("bare acks/s", 500.0, "/s", None).met


def test_without_haproxy_every_replica_figure_is_not_measured_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(replicas.shutil, "which", lambda _: None)
    figures = replicas.run()
    assert len(figures) == 12
    assert all(not figure.met and "not measured: haproxy is not installed" in figure.line() for figure in figures)
    assert [f.target for f in figures if f.target is not None] == [0.5, 0.5, 0.5, 10.0]


def test_without_postgresql_the_reason_names_the_server_without_its_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(replicas.shutil, "which", lambda name: f"/usr/sbin/{name}")
    monkeypatch.setattr(replicas, "URL", "postgresql+psycopg://postgres:hunter2@127.0.0.1:1/test")
    why = replicas.unavailable()
    assert why is not None and "postgres:***@127.0.0.1:1/test did not answer: " in why
    assert "hunter2" not in why
