#!/usr/bin/env python3
"""Writes the seed corpora of the byte-level fuzz targets into fuzz/corpus/<target>/.

Sources: the AWS SigV4 test suite (tests/vectors/aws-signing-test-suite: Authorization headers,
presigned query strings, X-Amz-Date values), the S3 documentation's aws-chunked example
(tests/vectors/s3-examples.json: its chunk signatures, recomputed here with Python's hmac as a
check), and the hostile-input tables of core/tests (verify_hostile.rs, no_panic.rs) for the shapes
they use. Run it again after changing a vector; the files are committed.
    python3 fuzz/seeds.py
The structure-aware targets (arbitrary-derived inputs) are seeded from their own runs instead.
"""
import hashlib
import hmac
import json
import pathlib
import struct

ROOT = pathlib.Path(__file__).resolve().parent.parent
SUITE = ROOT / "tests/vectors/aws-signing-test-suite/v4"
CORPUS = ROOT / "fuzz/corpus"


def write(target, name, data):
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data if isinstance(data, bytes) else data.encode())


def signed_requests(form):
    for case in sorted(SUITE.iterdir()):
        f = case / f"{form}-signed-request.txt"
        if f.exists():
            yield case.name, f.read_text()


# --- auth_header: first byte (bit 0: SigV4a allowed, bit 1: X-Amz-Region-Set sent), then the value.
auths = {}
for name, text in signed_requests("header"):
    for line in text.split("\n"):
        if line.lower().startswith("authorization:"):
            auths[name] = line.split(":", 1)[1]
HOSTILE_AUTH = [
    "AWS4-HMAC-SHA256",
    "AWS4-HMAC-SHA256 ",
    "aws4-hmac-sha256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + "0" * 64,
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,,SignedHeaders=host, Signature=" + "0" * 64,
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host, Signature=" + "0" * 64 + ", Signature=" + "0" * 64,
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=, Signature=" + "0" * 64,
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;;x-amz-date, Signature=" + "0" * 63,
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request/extra, SignedHeaders=host, Signature=" + "G" * 64,
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE//us-east-1/service/aws4_request, SignedHeaders=x-amz-date;host, Signature=" + "0" * 64,
    "AWS4-HMAC-SHA256\tCredential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,\tSignedHeaders=host;x-amz-date,\tSignature=" + "0" * 64,
    "AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20150830/service/aws4_request, SignedHeaders=host;x-amz-date;x-amz-region-set, Signature=3045022100" + "00" * 32 + "022000" + "00" * 31,
    "AWS4-HMAC-SHA256 Credential=" + "A" * 9000,
    "Bearer abc",
    "AWS4-HMAC-SHA256 Signature=x, Credential=c, SignedHeaders=s, Extra=1",
]
for name, value in auths.items():
    write("auth_header", name, b"\x00" + value.encode())
for i, value in enumerate(HOSTILE_AUTH):
    write("auth_header", f"hostile-{i:02}", bytes([i % 4]) + value.encode())

# --- presigned_query: first byte (bit 0: SigV4a allowed, bit 1: S3 verifier), then the query.
for name, text in signed_requests("query"):
    target = text.split("\n", 1)[0].split(" ")[1]
    if "?" in target:
        write("presigned_query", name, b"\x00" + target.split("?", 1)[1].encode())
VALID_Q = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=3600&X-Amz-Signature=" + "0" * 64
HOSTILE_Q = [
    VALID_Q.replace("X-Amz-Expires=3600", "X-Amz-Expires=0"),
    VALID_Q.replace("X-Amz-Expires=3600", "X-Amz-Expires=604801"),
    VALID_Q.replace("X-Amz-Expires=3600", "X-Amz-Expires=+3600"),
    VALID_Q.replace("X-Amz-Expires=3600", "X-Amz-Expires=03600"),
    VALID_Q + "&x-amz-signature=" + "0" * 64,
    VALID_Q.replace("X-Amz-Algorithm", "X-Amz-algorithm"),
    VALID_Q.replace("X-Amz-Algorithm", "X%2DAmz%2DAlgorithm"),
    VALID_Q.replace("%2F", "/"),
    VALID_Q.replace("%2F", "%2"),
    VALID_Q + "&X-Amz-Security-Token=%FF%FE",
    VALID_Q.replace("X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=host%3Bx-amz-date"),
    VALID_Q.replace("AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256") + "&X-Amz-Region-Set=us-east-1",
    VALID_Q + "&" + "a=b&" * 50,
    "X-Amz-Algorithm=AWS4-HMAC-SHA256",
    "&&&=&=&X-Amz-Date=20150830T123600Z",
]
for i, q in enumerate(HOSTILE_Q):
    write("presigned_query", f"hostile-{i:02}", bytes([i % 4]) + q.encode())

# --- date_parse: text (the first 8 bytes also read as a little-endian Unix time).
dates = set()
for _, text in signed_requests("header"):
    for line in text.split("\n"):
        if line.lower().startswith("x-amz-date:"):
            dates.add(line.split(":", 1)[1])
DATES = sorted(dates) + [
    "2015-08-30T12:36:00Z", "2015-08-30T12:36:00.123Z", "2015-08-30T12:36:00+00:00",
    "20240229T000000Z", "20230229T000000Z", "20151301T000000Z", "20150830T246000Z",
    "20150830T123660Z", "99991231T235959Z", "00000101T000000Z", "20150830t123600z",
    "2015-08-30 12:36:00Z", "2015-08-30T12:36:00-01:00", "2015-08-30T12:36:00.Z",
    "+2015-08-30T12:36:00Z", "2015-8-30T12:36:00Z", "\u0662\u0660\u0661\u0665-08-30T12:36:00Z",
]
for i, d in enumerate(DATES):
    write("date_parse", f"date-{i:02}", d)
for i, t in enumerate([0, 1440938160, 253402300799, 253402300800, -62167219200, -62167219201, 2**63 - 1, -(2**63)]):
    write("date_parse", f"unix-{i}", struct.pack("<q", t))


# --- chunked_decoder: byte (form = b % 3, piece size = b // 3), u32 LE declared length, wire.
doc = json.loads((ROOT / "tests/vectors/s3-examples.json").read_text())
ex = doc["chunked_upload"]
SECRET = doc["credentials"]["secret_access_key"]
DATE, DAY, SCOPE = "20130524T000000Z", "20130524", "20130524/us-east-1/s3/aws4_request"
EMPTY = hashlib.sha256(b"").hexdigest()


def key():
    k = ("AWS4" + SECRET).encode()
    for part in (DAY, "us-east-1", "s3", "aws4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    return k


def chunk_sig(prev, data):
    sts = "\n".join(["AWS4-HMAC-SHA256-PAYLOAD", DATE, SCOPE, prev, EMPTY, hashlib.sha256(data).hexdigest()])
    return hmac.new(key(), sts.encode(), hashlib.sha256).hexdigest()


def trailer_sig(prev, trailers):
    block = "".join(f"{n}:{v}\n" for n, v in trailers)
    sts = "\n".join(["AWS4-HMAC-SHA256-TRAILER", DATE, SCOPE, prev, hashlib.sha256(block.encode()).hexdigest()])
    return hmac.new(key(), sts.encode(), hashlib.sha256).hexdigest()


def signed_wire(chunks, trailers=None):
    prev, out = ex["seed_signature"], b""
    for data in chunks + [b""]:
        prev = chunk_sig(prev, data)
        out += f"{len(data):x};chunk-signature={prev}\r\n".encode() + data
        if data or trailers is None:
            out += b"\r\n"
    if trailers is not None:
        out += "".join(f"{n}:{v}\r\n" for n, v in trailers).encode()
        out += f"x-amz-trailer-signature:{trailer_sig(prev, trailers)}\r\n\r\n".encode()
    return out


# The S3 example's chain: the recomputed signatures must be the documented ones.
sigs, prev = [], ex["seed_signature"]
for size in ex["chunk_sizes"]:
    prev = chunk_sig(prev, b"a" * size)
    sigs.append(prev)
assert sigs == ex["chunk_signatures"], "the Python chain disagrees with the S3 example"


def seed(form, declared, wire, piece=0):
    return bytes([form + 3 * piece]) + struct.pack("<I", declared) + wire


small = signed_wire([b"hello ", b"world"])
trailer = [("x-amz-checksum-crc32", "sOO8/Q==")]
with_trailer = signed_wire([b"hello world"], trailer)
unsigned = b"b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:sOO8/Q==\r\n\r\n"
write("chunked_decoder", "s3-example-first-chunk-cut", seed(0, 66560, signed_wire([b"a" * 65536])[:4000]))
write("chunked_decoder", "signed", seed(0, 11, small))
write("chunked_decoder", "signed-pieces", seed(0, 11, small, piece=7))
write("chunked_decoder", "signed-trailer", seed(1, 11, with_trailer))
write("chunked_decoder", "unsigned-trailer", seed(2, 11, unsigned, piece=3))
HOSTILE_CHUNKED = [
    seed(0, 11, small.replace(b"6;", b"7;", 1)),
    seed(0, 11, small.replace(b"hello", b"jello")),
    seed(0, 11, small[:-2]),
    seed(0, 11, small + b"extra"),
    seed(0, 11, b"ffffffffffffffff;chunk-signature=" + b"0" * 64 + b"\r\n"),
    seed(0, 11, b"6;chunk-signature=" + b"0" * 5000 + b"\r\n"),
    seed(0, 11, b"6 ;chunk-signature=" + b"0" * 64 + b"\r\n"),
    seed(1, 11, with_trailer.replace(b"sOO8", b"xOO8")),
    seed(1, 11, with_trailer.replace(b"x-amz-checksum-crc32", b"x-amz-checksum-crc33")),
    seed(2, 11, unsigned.replace(b"b\r\n", b"B\r\n", 1)),
    seed(2, 11, unsigned.replace(b"\r\n0\r\n", b"\r\n0;ext=1\r\n")),
    seed(2, 2**32 - 1, unsigned),
]
for i, s in enumerate(HOSTILE_CHUNKED):
    write("chunked_decoder", f"hostile-{i:02}", s)
print("seeds written under", CORPUS)
