"""tests/behaviour/one_call.json: botocore's answers, and ``sigv4.sign_v4`` giving the same."""

from __future__ import annotations

import importlib.util
import json
import pathlib
from typing import Any, Dict

import pytest

import sigv4

BEHAVIOUR = pathlib.Path(__file__).resolve().parents[3] / "tests" / "behaviour"
TABLE = json.loads((BEHAVIOUR / "one_call.json").read_text(encoding="utf-8"))


def test_the_committed_table_is_what_botocore_computes() -> None:
    # The expected values come from botocore, never from libsigv4: regenerate and compare.
    spec = importlib.util.spec_from_file_location("one_call_botocore", BEHAVIOUR / "one_call_botocore.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert json.loads(module.render()) == TABLE


@pytest.mark.parametrize("case", TABLE["cases"], ids=lambda c: c["name"])
def test_sign_v4_matches_the_table(case: Dict[str, Any]) -> None:
    p, want = case["params"], case["expected"]
    got = sigv4.sign_v4(
        p["access_key"], p["secret_key"], p["region"], p["service"], p["method"], p["uri"],
        [tuple(q) for q in p["query_params"]], [tuple(h) for h in p["headers"]], p["payload"],
        timestamp=p["timestamp"], session_token=p.get("session_token"),
    )
    for field in ("authorization", "signature", "timestamp", "canonical_request", "string_to_sign"):
        assert got[field] == want[field], field
    sent = {name.lower(): value for name, value in got["headers"].items()}
    for name, value in want["added_headers"].items():
        assert sent.get(name) == value, name
