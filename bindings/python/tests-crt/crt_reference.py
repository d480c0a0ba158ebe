"""Reference side of the SigV4a differential: runs in a separate venv with ``awscrt`` installed, so
botocore's own CRT-backed signers (botocore/crt/auth.py) sign. Reads one JSON request per line on
stdin, writes one JSON answer per line:

  {"op": "sign", "signer": "v4a" | "s3v4a" | "s3v4a-query", ...}  -> {"url", "headers", "error"}
  {"op": "verify", "spki": hex, "message": str, "signature": hex}  -> {"ok": bool}  (awscrt's ECDSA)
"""

import datetime
import hashlib
import json
import sys
from io import BytesIO
from unittest import mock

import awscrt.crypto
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.crt import auth as crt_auth

SIGNERS = crt_auth.CRT_AUTH_TYPE_MAPS


def sign(msg):
    req = AWSRequest(method=msg["method"], url=msg["url"], headers=None)
    for name, value in msg["headers"]:
        req.headers[name] = value
    if msg.get("params") is not None:
        req.params = dict(msg["params"])
    if msg.get("data") is not None:
        req.data = msg["data"]
    elif msg.get("body") is not None:
        raw = bytes.fromhex(msg["body"])
        req.data = BytesIO(raw) if msg.get("file") else raw
    context = dict(msg.get("context") or {})
    if "s3_payload_signing" in context:
        context["client_config"] = Config(s3={"payload_signing_enabled": context.pop("s3_payload_signing")})
    req.context.update(context)
    creds = Credentials(msg["access_key"], msg["secret_key"], msg.get("token"))
    cls = SIGNERS[msg["signer"]]
    args = (creds, msg["service"], msg["region"])
    signer = cls(*args, expires=msg["expires"]) if msg["signer"].endswith("-query") else cls(*args)
    now = datetime.datetime.fromtimestamp(msg["time"], datetime.timezone.utc)
    try:
        with mock.patch("botocore.crt.auth.get_current_datetime", return_value=now):
            signer.add_auth(req)
    except Exception as exc:  # the CRT's refusal: reported, compared by the caller
        return {"error": f"{type(exc).__name__}: {exc}"}
    return {"url": req.url, "headers": [[k, v] for k, v in req.headers.items()], "error": None}


def verify(msg):
    key = awscrt.crypto.EC.new_key_from_der_data(bytes.fromhex(msg["spki"]))
    digest = hashlib.sha256(msg["message"].encode()).digest()
    return {"ok": bool(key.verify(digest, bytes.fromhex(msg["signature"])))}


def main():
    for line in sys.stdin:
        msg = json.loads(line)
        out = sign(msg) if msg["op"] == "sign" else verify(msg)
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
