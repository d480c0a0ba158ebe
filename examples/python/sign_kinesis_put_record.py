"""Kinesis PutRecord with the one-call sign_v4 (prints the signed request; no network)."""

import base64
import json

import sigv4
from _example_keys import ACCESS_KEY, SECRET_KEY, show

payload = json.dumps({
    "StreamName": "my-stream",
    "PartitionKey": "example-partition",
    "Data": base64.b64encode(b"Hello from libsigv4").decode(),
})
result = sigv4.sign_v4(
    ACCESS_KEY, SECRET_KEY, "us-east-1", "kinesis", "POST", "/",
    headers={
        "host": "kinesis.us-east-1.amazonaws.com",
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "Kinesis_20131202.PutRecord",
    },
    payload=payload,
)
show(result)
