# AWS SDK signing through libsigv4 (issue 20): boto3 with and without sigv4.botocore, in one run.
#   make bench-sdk   (a) signer only vs botocore and a no-op signer, (b) 300 presigned S3 GETs,
#                    (c) signing share of a DynamoDB get_item and a 1 MiB S3 put_object (local stub)
.PHONY: bench-sdk

bench-sdk: $(VENV)/.stamp-sigv4-release
	$(PY) $(PY_PKG)/bench/bench_sdk.py
