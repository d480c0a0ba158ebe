"""Strict pyright (basedpyright) over the README's Python snippets, against the package's stubs.

Each ```python block of README.md becomes the body of an ``async def`` (the snippets use ``await``)
in its own module, after a prelude declaring the names the README leaves to the reader (``creds``,
``app``, ``headers``...). ``reportUnusedExpression`` and ``reportUnusedVariable`` are off: the README shows values
REPL-style (``signed.headers["X-Amz-Region-Set"], signed.authorization``) and assigns results it
does not go on to use. Exits non-zero on any error.
Usage: check_readme.py <README.md> <work dir> <basedpyright executable>
"""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
import textwrap

PRELUDE = '''\
from typing import Any, Dict
import sigv4

creds: sigv4.Credentials = sigv4.Credentials("AKIDEXAMPLE", "secret")
akid: str = "AKIDEXAMPLE"
secret: str = "secret"
token: str = "token"
headers: Dict[str, str] = {}
body: bytes = b""
app: Any = None
'''


def main() -> int:
    readme, work = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    pyright = str(pathlib.Path(sys.argv[3]).absolute())
    work.mkdir(parents=True, exist_ok=True)
    for old in work.glob("readme_block_*.py"):
        old.unlink()
    blocks: list[list[str]] = []
    current: list[str] | None = None
    for line in readme.read_text().splitlines():
        if current is None and line.strip() == "```python":
            current = []
        elif current is not None and line.strip() == "```":
            blocks.append(current)
            current = None
        elif current is not None:
            current.append(line)
    files = []
    for n, block in enumerate(blocks, 1):
        body = textwrap.indent("\n".join(block), "    ")
        path = work / f"readme_block_{n}.py"
        # `global`: the README assigns some of the prelude's names (`app = ...SigV4Middleware(app, ...)`).
        path.write_text(f"{PRELUDE}\n\nasync def readme_block_{n}() -> None:\n    global app\n{body}\n")
        files.append(path.name)
    (work / "pyrightconfig.json").write_text(json.dumps({
        "typeCheckingMode": "strict",
        "pythonVersion": "3.9",
        "reportUnusedExpression": "none",
        "reportUnusedVariable": "none",
        "reportMissingModuleSource": "none",
        "include": files,
    }))
    run = subprocess.run([pyright, "--outputjson", "--pythonpath", sys.executable], cwd=work, capture_output=True, text=True)
    result = json.loads(run.stdout)
    errors = [d for d in result["generalDiagnostics"] if d["severity"] == "error"]
    for d in errors:
        line = d["range"]["start"]["line"] + 1
        print(f"{pathlib.Path(d['file']).name}:{line}: {d.get('rule', '')} {d['message']}")
    print(f"README Python snippets under strict pyright: {len(blocks)} blocks, {len(errors)} errors")
    return 1 if errors or not blocks else 0


if __name__ == "__main__":
    sys.exit(main())
