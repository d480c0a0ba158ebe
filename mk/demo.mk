# make demo: the local IAM-protected API (examples/demo/server.py, the sigv4 verifier as WSGI
# middleware) and the Python, TypeScript and C clients calling it, then `sigv4 explain` diagnosing a
# tampered request's 403. With API_URL and AWS credentials
# in the environment, the same clients call that endpoint instead (no local server).
.PHONY: demo-run demo-deps test-demo

demo-deps: python-dev node-demo-client c-demo-client cli-debug redis-server-install

demo-run: demo-deps
	$(PY) examples/demo/run_demo.py

# The end-to-end check inside make test: exit code and transcript.
test-demo: demo-deps
	$(PY) tests/demo/check_demo.py
