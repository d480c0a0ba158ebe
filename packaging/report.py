#!/usr/bin/env python3
"""Prints make dist-test's table from <work>/results.tsv: artefact, size, target, glibc floor, result, seconds.

Usage: report.py <dist> <results.tsv>. Exits 1 when dist/ holds a package artefact that no check covered.
"""
import os
import sys


def human(n):
    return f"{n / 1024:.0f} KiB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MiB"


def main():
    dist, results = sys.argv[1], sys.argv[2]
    rows = [line.rstrip("\n").split("\t") for line in open(results) if line.strip()]
    table = [("artefact", "size", "target", "glibc floor", "suite result", "s")]
    for artefact, target, floor, result, seconds in rows:
        path = os.path.join(dist, artefact)
        size = human(os.path.getsize(path)) if os.path.exists(path) else "-"
        table.append((artefact, size, target, floor, result, seconds))
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    for i, r in enumerate(table):
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))
    covered = {r[0] for r in rows}
    untested = sorted(f for f in os.listdir(dist) if f != "SHA256SUMS" and f not in covered)
    if untested:
        print("not covered by a check: " + ", ".join(untested))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
