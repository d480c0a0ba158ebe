# Python package libsigv4 (filled in by the Python issue).
.PHONY: test-python bench-python
test-python:
	@echo "Python: not built yet"
bench-python:
	@echo "Python: no benchmark yet"
