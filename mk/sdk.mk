# AWS SDK signing through libsigv4 (issue 20).
#   make test-sdk    the AWS SDK for JavaScript v3 (S3, SQS, DynamoDB) through libsigv4/aws-sdk against moto's
#                    server with authentication on (moto from the Python venv); part of `make test`
#   make bench-sdk   boto3 and the JS SDK with and without libsigv4, in one run: (a) signer only vs the SDK's
#                    signer and a no-op signer, (b) 300 presigned S3 GETs, (c) signing share of a DynamoDB
#                    get_item and a 1 MiB S3 put_object against a local stub (Python)
.PHONY: test-sdk bench-sdk

test-sdk: $(PY_VENV_STAMP) node-build
	cd $(NODE_DIR) && SIGV4_PYTHON=$(PY) node --test test-sdk/

bench-sdk: $(VENV)/.stamp-sigv4-release $(NODE_STAMP)
	cd $(NODE_DIR) && $(NAPI_BUILD) --release
	$(PY) $(ROOT)/bench/python/bench_sdk.py
	cd $(NODE_DIR) && node $(ROOT)/bench/node/bench-sdk.js
