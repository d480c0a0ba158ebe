"""SNS Publish with the one-call sign_v4 (prints the signed request; no network)."""

import sigv4
from _example_keys import ACCESS_KEY, SECRET_KEY, show

body = "Action=Publish&Message=Hello&TopicArn=arn:aws:sns:us-east-1:123456789012:MyTopic"
result = sigv4.sign_v4(
    ACCESS_KEY, SECRET_KEY, "us-east-1", "sns", "POST", "/",
    headers={"host": "sns.us-east-1.amazonaws.com", "content-type": "application/x-www-form-urlencoded"},
    payload=body,
)
show(result)
