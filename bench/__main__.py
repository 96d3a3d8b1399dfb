"""Runs every benchmark and prints each figure beside its target; exits 1 if one is missed."""

from __future__ import annotations

import logging
import sys
import time

from bench import charts, delivery, filing, reads, replicas, scheduler, slack_ack, slack_load, stats


def main() -> int:
    logging.basicConfig(level=logging.WARNING)
    print("MarketSafe benchmarks (medians of repeated runs on this machine)")
    figures = []
    for module in (filing, stats, reads, slack_ack, slack_load, replicas, scheduler, delivery, charts):
        started = time.perf_counter()
        results = module.run()
        for figure in results:
            print(figure.line(), flush=True)
        figures += results
        print(f"  ({module.__name__} took {time.perf_counter() - started:.0f} s)")
    missed = [figure.name for figure in figures if not figure.met]
    print("all targets met" if not missed else f"missed: {'; '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
