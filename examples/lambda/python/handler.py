"""A Lambda handler that signs an outgoing request with libsigv4, as a script calling an IAM-protected API would.

Credentials come from the Lambda environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN); the
event names the request: {"url": ..., "method": "GET", "service": "execute-api", "region": "us-east-1",
"timestamp": "20150830T123600Z" (optional; default now)}. It returns the signed headers instead of sending them,
so that it runs anywhere, including locally.
"""

import json
import os
import platform

import sigv4


def handler(event, context):
    region = event.get("region") or os.environ["AWS_REGION"]
    signer = sigv4.Signer(sigv4.Credentials.from_env(), region, event["service"])
    signed = signer.sign(event.get("method", "GET"), event["url"], timestamp=event.get("timestamp"))
    return {
        "statusCode": 200,
        "body": json.dumps(
            {
                "arch": platform.machine(),
                "requestId": getattr(context, "aws_request_id", None),
                "signature": signed.signature,
                "authorization": signed.authorization,
            }
        ),
    }
