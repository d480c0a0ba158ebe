"""The examples run: one-call scripts print signed requests, the CLI client gets 200s from a signing server."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import pytest

from conftest import AKID, ROOT, SECRET
from signing_server import serve

EXAMPLES = ROOT / "examples" / "python"


@pytest.mark.parametrize("script", sorted(p.name for p in EXAMPLES.glob("sign_*.py")))
def test_one_call_examples(script: str) -> None:
    out = subprocess.run([sys.executable, str(EXAMPLES / script)], capture_output=True, text=True, check=True).stdout
    assert "Authorization: AWS4-HMAC-SHA256 Credential=" in out


def test_demo_cli_client_against_signing_server() -> None:
    for server in serve({AKID: (SECRET, None)}):
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(AWS_ACCESS_KEY_ID=AKID, AWS_SECRET_ACCESS_KEY=SECRET, API_URL=server.url + "/prod")
        out = subprocess.run([sys.executable, str(EXAMPLES / "demo_cli_client.py")], capture_output=True,
                             text=True, env=env, check=True).stdout
        assert out.count("-> 200") == 2, out
