# C ABI: libsigv4.so/.a, include/sigv4.h, C tests (filled in by the C issue).
.PHONY: test-c bench-c
test-c:
	@echo "C: not built yet"
bench-c:
	@echo "C: no benchmark yet"
