# Node package libsigv4 (filled in by the Node issue).
.PHONY: test-node bench-node
test-node:
	@echo "Node: not built yet"
bench-node:
	@echo "Node: no benchmark yet"
