"""Lambda Invoke with the one-call sign_v4 (prints the signed request; no network)."""

import json

import sigv4
from _example_keys import ACCESS_KEY, SECRET_KEY, show

function_name = "my-function"
result = sigv4.sign_v4(
    ACCESS_KEY, SECRET_KEY, "us-east-1", "lambda", "POST", f"/2015-03-31/functions/{function_name}/invocations",
    headers={"host": "lambda.us-east-1.amazonaws.com", "content-type": "application/json"},
    payload=json.dumps({"key": "value"}),
)
show(result)
