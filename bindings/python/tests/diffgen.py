"""Hostile request generators and the allowlist for the differential tests (vs botocore here).

The seed is random per run unless ``SIGV4_DIFF_SEED`` is set; pytest prints it in its header (see
conftest) and every failure message repeats it. ``SIGV4_DIFF_COUNT`` sets the cases per pair
(2,000 in ``make test``, 100,000 in ``make fuzz-diff``).
"""

from __future__ import annotations

import json
import os
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple
from urllib.parse import quote

from conftest import ROOT

SEED = int(os.environ.get("SIGV4_DIFF_SEED") or random.SystemRandom().randrange(1 << 32))
COUNT = int(os.environ.get("SIGV4_DIFF_COUNT") or 2000)

ALLOWLIST_PATH = ROOT / "tests" / "differential" / "allowlist.json"
ALLOWLIST = json.loads(ALLOWLIST_PATH.read_text())

# What each pair compared and which allowlisted classes it met: printed at the end of the run.
STATS: Dict[str, Counter] = {}

PRINTABLE = [chr(c) for c in range(0x20, 0x7F)]
UNICODE = ["é", "ü", "日本", "雪", "😀", "ß", "€"]
ESCAPES = ["%2F", "%2f", "%41", "%7e", "%7E", "%2B", "%2b", "%20", "%25", "%C3%A9", "%c3%a9", "%3D", "%26"]
HEADER_NAMES = ["X-Custom", "x-custom", "X-CUSTOM", "X-Amz-Meta-Foo", "x-amz-meta-foo", "Content-Type",
                "My-Header", "x-a!#$%&'*+.^_`|~", "traceparent", "User-Agent", "Connection", "Expect",
                "X-Amz-Date", "Accept", "If-Match", "X-Forwarded-For"]
HEADER_ATOMS = ["a", "B c", "  d  ", "e   f", "\tg\t", "h \t i", "j,k", "=", ":", "@", "$", "1", "é",
                "text/plain; charset=utf-8", '"q"', "", " "]
CLIENT_ENCODES = re.compile("[\x00-\x20\"<>\\\\^`{|}\x7f-\U0010ffff]")


def allowed(peer: str, cls: str) -> None:
    """Records that an allowlisted class applied; fails when the class is not in the allowlist."""
    if not any(e["class"] == cls and e["peer"] == peer for e in ALLOWLIST):
        raise AssertionError(f"class {cls!r} for {peer} is not in {ALLOWLIST_PATH}")


def count(pair: str, what: str) -> None:
    STATS.setdefault(pair, Counter())[what] += 1


def client_wire(text: str) -> str:
    """What every HTTP client does to a URL before sending it (and the signer to an absolute URL)."""
    return CLIENT_ENCODES.sub(lambda m: quote(m.group(), safe=""), text)


def _text(rng: random.Random, lo: int, hi: int) -> str:
    out = []
    for _ in range(rng.randint(lo, hi)):
        r = rng.random()
        if r < 0.7:
            out.append(rng.choice(PRINTABLE))
        elif r < 0.85:
            out.append(rng.choice(UNICODE))
        else:
            out.append(rng.choice(["a", "Z", "0", "-", "_", ".", "~"]))
    return "".join(out)


def _wire_component(rng: random.Random, text: str, delimiters: str) -> str:
    """A decoded component put on the wire: strictly encoded, leniently (sub-delimiters raw), or
    with only the delimiters encoded (the signer encodes the rest as clients do); plus, sometimes,
    raw escapes in either letter case."""
    style = rng.random()
    if style < 0.35:
        wire = quote(text, safe="")
    elif style < 0.6:
        wire = quote(text, safe="!$&'()*+,;=:@")
    elif style < 0.8:
        wire = quote(text, safe="!$&'()*+,;=:@ \"<>\\^`{|}" + "".join(c for c in text if ord(c) > 127))
    else:
        # Escapes in either letter case, unreserved characters escaped too.
        wire = "".join(rng.choice([quote(c, safe=""), "%%%02x" % ord(c), "%%%02X" % ord(c)])
                       if len(c.encode()) == 1 else rng.choice([quote(c, safe=""), quote(c, safe="").lower()])
                       for c in text)
    if rng.random() < 0.2:
        wire += rng.choice(ESCAPES)
    for d in delimiters:
        assert d not in wire or d == "=", (d, wire)
    return wire


@dataclass
class Case:
    """One generated request: what our signer is given, and the decoded parts a peer needs."""

    method: str
    host: str
    path: str  # as given to us (raw characters possible)
    wire_path: str  # as a client sends it
    query: str  # as given to us
    pairs: List[Tuple[str, str]]  # decoded as AWS reads the query
    headers: List[Tuple[str, str]]
    body: bytes
    token: Optional[str]
    payload: str = "signed"  # signed | unsigned | precomputed
    notes: List[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"https://{self.host}{self.path}" + (f"?{self.query}" if self.query else "")

    def __str__(self) -> str:
        return (f"seed={SEED} method={self.method} url={self.url!r} headers={self.headers!r} "
                f"payload={self.payload} token={bool(self.token)} body={len(self.body)}B")


def gen_path(rng: random.Random, s3: bool) -> str:
    parts = []
    for _ in range(rng.randint(0, 5)):
        kind = rng.random()
        if kind < 0.15:
            parts.append(rng.choice([".", "..", ""]))  # dot segments and '//'
        else:
            parts.append(_wire_component(rng, _text(rng, 1, 5), "/?#"))
    path = "/" + "/".join(parts)
    if rng.random() < 0.2 and not path.endswith("/"):
        path += "/"
    return path


def _decode_query_component(text: str) -> str:
    from urllib.parse import unquote_to_bytes

    return unquote_to_bytes(text.replace("+", " ")).decode("utf-8")


def gen_query(rng: random.Random, unique: bool) -> Tuple[str, List[Tuple[str, str]]]:
    """(wire query, decoded pairs as AWS reads them)."""
    pairs: List[Tuple[str, str]] = []
    wire: List[str] = []
    for _ in range(rng.randint(0, 5)):
        if pairs and not unique and rng.random() < 0.25:
            key = rng.choice(pairs)[0]
        else:
            key = _text(rng, 0 if not unique else 1, 3)
        if unique and any(k == key for k, _ in pairs):
            continue
        value = _text(rng, 0, 4)
        style = rng.random()
        if style < 0.3:
            enc = lambda s: quote(s, safe="")  # noqa: E731
        elif style < 0.55:
            enc = lambda s: quote(s, safe="").replace("%20", "+")  # noqa: E731
        elif style < 0.8:
            enc = lambda s: quote(s, safe="!$'()*,;:@/? ")  # noqa: E731
        else:
            enc = lambda s: "".join(quote(c, safe="").lower() if not c.isalnum() else c for c in s)  # noqa: E731
        if value == "" and key != "" and rng.random() < 0.3:
            piece = enc(key)
        else:
            piece = f"{enc(key)}={enc(value)}"
        wire.append(piece)
        pairs.append((_decode_query_component(client_wire(piece.split("=", 1)[0])),
                      _decode_query_component(client_wire(piece.split("=", 1)[1])) if "=" in piece else ""))
    return "&".join(wire), pairs


def gen_headers(rng: random.Random) -> List[Tuple[str, str]]:
    headers = []
    for _ in range(rng.randint(0, 5)):
        value = "".join(rng.choice(HEADER_ATOMS) for _ in range(rng.randint(0, 3)))
        if rng.random() < 0.2:
            value = "".join(rng.choice(PRINTABLE) for _ in range(rng.randint(1, 8)))
        headers.append((rng.choice(HEADER_NAMES), value))
    return headers


def gen_case(rng: random.Random, s3: bool, presign: bool) -> Case:
    host = rng.choice(["examplebucket.s3.amazonaws.com" if s3 else "api.example.com", "API.Example.COM",
                       "h.example:8443", "h.example:443", "127.0.0.1:9000"])
    path = gen_path(rng, s3)
    # Presigned: mostly unique keys (botocore folds repeats, class presign-repeated-query-keys).
    query, pairs = gen_query(rng, unique=presign and rng.random() < 0.9)
    headers = gen_headers(rng) if rng.random() < 0.8 else []
    if presign:
        # A presigned URL carries X-Amz-Date in its query; botocore would also sign a caller's
        # X-Amz-Date header, we replace it: a request no presigner builds, not generated.
        headers = [(n, v) for n, v in headers if n.lower() != "x-amz-date"]
    method = rng.choice(["GET", "PUT", "POST", "DELETE", "HEAD", "PATCH"])
    body = b"" if presign else rng.choice([b"", b"hello", "é€".encode(), bytes(range(256)) * 4])
    token = rng.choice([None, "tok/en+=", "AQoDYXdzEPT//////////wEXAMPLE=="])
    payload = "signed" if presign else rng.choice(["signed", "signed", "unsigned", "precomputed"])
    return Case(method, host, path, client_wire(path), query, pairs, headers, body, token, payload)
