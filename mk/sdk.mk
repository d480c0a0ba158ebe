# AWS SDK signing through libsigv4 (issue 20).
#   make test-sdk    the AWS SDK for JavaScript v3 (S3, SQS, DynamoDB) through libsigv4/aws-sdk against moto's
#                    server with authentication on (moto from the Python venv), and sigv4.botocore's SigV4a
#                    signers against botocore's CRT signers (awscrt in a second venv, build/venv-crt, so
#                    the main venv's botocore keeps its pure-Python v4 signers); part of `make test`
#   make bench-sdk   boto3 and the JS SDK with and without libsigv4, in one run: (a) signer only vs the SDK's
#                    signer and a no-op signer, (b) 300 presigned S3 GETs, (c) signing share of a DynamoDB
#                    get_item and a 1 MiB S3 put_object against a local stub (Python)
.PHONY: test-sdk bench-sdk

CRT_VENV := $(ROOT)/build/venv-crt
CRT_STAMP := $(CRT_VENV)/.stamp-deps

# The same botocore as the main venv, plus awscrt (botocore then signs v4/v4a through the CRT).
$(CRT_STAMP): mk/sdk.mk $(PY_VENV_STAMP)
	test -x $(CRT_VENV)/bin/python || python3 -m venv $(CRT_VENV)
	$(CRT_VENV)/bin/python -m pip install -q --disable-pip-version-check \
		"botocore==$$($(PY) -c 'import botocore; print(botocore.__version__)')" awscrt
	touch $@

test-sdk: $(PY_VENV_STAMP) node-build $(VENV)/.stamp-sigv4-debug $(CRT_STAMP)
	cd $(PY_PKG) && SIGV4_CRT_PYTHON=$(CRT_VENV)/bin/python $(PY) -m pytest -q -p no:cacheprovider tests-crt
	cd $(NODE_DIR) && SIGV4_PYTHON=$(PY) node --test test-sdk/

bench-sdk: $(VENV)/.stamp-sigv4-release $(NODE_STAMP)
	cd $(NODE_DIR) && $(NAPI_BUILD) --release
	$(PY) $(ROOT)/bench/python/bench_sdk.py
	cd $(NODE_DIR) && node $(ROOT)/bench/node/bench-sdk.js
