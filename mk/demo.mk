# make demo: until the demo issue lands, sign the sample requests and print them.
.PHONY: demo-run test-demo
demo-run:
	$(CARGO) run -q --release -p sigv4 --example sign_samples
test-demo:
	$(CARGO) run -q -p sigv4 --example sign_samples > /dev/null
