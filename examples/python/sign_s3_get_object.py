"""S3 GetObject with the one-call sign_v4 (prints the signed request; no network)."""

import sigv4
from _example_keys import ACCESS_KEY, SECRET_KEY, show

result = sigv4.sign_v4(
    ACCESS_KEY, SECRET_KEY, "us-east-1", "s3", "GET", "/my-object.txt",
    headers={"host": "my-bucket.s3.amazonaws.com"}, payload="",
)
show(result)  # S3 also needs the x-amz-content-sha256 header it signed: send every header shown
