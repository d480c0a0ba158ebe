/* The streaming (aws-chunked) state machine through the C API: the S3 documentation's chunked
 * upload (tests/vectors/s3-examples.json: seed signature, every chunk signature, Content-Length
 * 66824) byte for byte; the decoder on it; round trips encoder -> decoder in every payload form
 * and with SigV4a; a tampered byte, a truncation and an undeclared trailer rejected, with no
 * unverified data handed out; the encoder's own checks.
 * Usage: streaming <tests/vectors directory> [--no-sigv4a] */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>

#include "util.h"

#define S3_AKID "AKIAIOSFODNN7EXAMPLE"
#define S3_SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#define S3_URL "https://s3.amazonaws.com/examplebucket/chunkObject.txt"
#define CRC "AAAAAA==" /* a base64 CRC32 value: 8 characters, as planned */

static int64_t s3_time = 0;

/* True when `needle` occurs in bytes[0..len). */
static int memmem_ok(const uint8_t *bytes, size_t len, const char *needle) {
  size_t n = strlen(needle);
  for (size_t i = 0; i + n <= len; i++) {
    if (memcmp(bytes + i, needle, n) == 0) {
      return 1;
    }
  }
  return 0;
}

/* The offset of `needle` in bytes[0..len), or NULL. */
static char *find(char *bytes, size_t len, const char *needle) {
  size_t n = strlen(needle);
  for (size_t i = 0; i + n <= len; i++) {
    if (memcmp(bytes + i, needle, n) == 0) {
      return bytes + i;
    }
  }
  return NULL;
}

/* Reads dir/name (malloc'd, NUL-terminated; NULL when missing). */
static char *read_in_file(const char *dir, const char *name) {
  strbuf path = {0};
  sb_puts(&path, dir);
  sb_puts(&path, "/");
  sb_puts(&path, name);
  char *text = read_file(path.data, NULL);
  sb_free(&path);
  return text;
}

/* A signed upload: its request, the encoder, and the wire bytes produced so far. */
typedef struct {
  sigv4_signed_request *signed_req;
  sigv4_chunked_encoder *encoder;
  strbuf wire;
} upload;

static const char *header_value(const sigv4_signed_request *s, const char *name) {
  for (size_t i = 0; i < sigv4_signed_request_header_count(s); i++) {
    const char *n, *v;
    if (sigv4_signed_request_header(s, i, &n, NULL, &v, NULL) == SIGV4_OK && strcmp(n, name) == 0) {
      return v;
    }
  }
  return NULL;
}

static sigv4_signer *make_signer(int sigv4a) {
  sigv4_credentials *creds = NULL;
  sigv4_signing_options *options = NULL;
  sigv4_signer *signer = NULL;
  sigv4_credentials_new(S(S3_AKID), S(S3_SECRET), NULL, 0, &creds);
  sigv4_signing_options_new(&options);
  if (sigv4a) {
    sigv4_signing_options_set_algorithm(options, SIGV4_ALGORITHM_SIGV4A);
  }
  CHECK_RESULT(sigv4_signer_new(creds, S("us-east-1"), S("s3"), options, &signer), SIGV4_OK);
  sigv4_signing_options_free(options);
  sigv4_credentials_free(creds);
  return signer;
}

static sigv4_verifier *make_verifier(int sigv4a) {
  sigv4_credential_store *store = NULL;
  sigv4_verifier_options *options = NULL;
  sigv4_verifier *v = NULL;
  sigv4_credential_store_new(&store);
  sigv4_credential_store_add(store, S(S3_AKID), S(S3_SECRET), NULL, 0);
  sigv4_verifier_options_new(&options);
  sigv4_verifier_options_set_allow_sigv4a(options, sigv4a != 0);
  CHECK_RESULT(sigv4_verifier_new(store, S("us-east-1"), S("s3"), options, &v), SIGV4_OK);
  sigv4_verifier_options_free(options);
  sigv4_credential_store_free(store);
  return v;
}

/* Signs an upload of `length` bytes and feeds `body` in pieces of `piece` bytes. */
static int run_upload(const sigv4_signer *signer, sigv4_payload payload, uint64_t length,
                      size_t chunk_size, int trailer, const char *body, size_t piece, upload *up) {
  memset(up, 0, sizeof *up);
  sigv4_chunked_plan *plan = NULL;
  CHECK_RESULT(sigv4_chunked_plan_new(payload, length, chunk_size, &plan), SIGV4_OK);
  if (trailer) {
    CHECK_RESULT(sigv4_chunked_plan_add_trailer(plan, S("x-amz-checksum-crc32")), SIGV4_OK);
  }
  sigv4_pair headers[] = {{S("x-amz-storage-class"), S("REDUCED_REDUNDANCY")}};
  sigv4_request req = {.method = S("PUT"), .url = S(S3_URL), .headers = headers, .headers_len = 1};
  sigv4_result r = sigv4_signer_sign_streaming(signer, &req, s3_time, plan, &up->signed_req, &up->encoder);
  CHECK_RESULT(r, SIGV4_OK);
  sigv4_chunked_plan_free(plan);
  if (r != SIGV4_OK) {
    return 0;
  }
  sb_append(&up->wire, "", 0);
  for (size_t at = 0; at < length; at += piece) {
    size_t n = length - at < piece ? (size_t)(length - at) : piece;
    const uint8_t *wire = NULL;
    size_t wire_len = 0;
    CHECK_RESULT(sigv4_chunked_encoder_write(up->encoder, (const uint8_t *)body + at, n, &wire, &wire_len),
                 SIGV4_OK);
    if (wire != NULL) {
      sb_append(&up->wire, (const char *)wire, wire_len);
    }
  }
  sigv4_pair trailers[] = {{S("x-amz-checksum-crc32"), S(CRC)}};
  const uint8_t *wire = NULL;
  size_t wire_len = 0;
  CHECK_RESULT(sigv4_chunked_encoder_finish(up->encoder, trailer ? trailers : NULL, trailer ? 1 : 0, &wire,
                                            &wire_len),
               SIGV4_OK);
  if (wire != NULL) {
    sb_append(&up->wire, (const char *)wire, wire_len);
  }
  CHECK(up->wire.len == sigv4_chunked_encoder_content_length(up->encoder),
        "wire length %zu, planned %llu", up->wire.len,
        (unsigned long long)sigv4_chunked_encoder_content_length(up->encoder));
  CHECK(sigv4_chunked_encoder_bytes_written(up->encoder) == length, "bytes written");
  return 1;
}

static void upload_free(upload *up) {
  sigv4_signed_request_free(up->signed_req);
  sigv4_chunked_encoder_free(up->encoder);
  sb_free(&up->wire);
}

/* Verifies the upload's headers and decodes `wire` fed in pieces of `piece` bytes. Returns the
 * result of the first failing call (or of finish), the data handed out in `data`. */
static sigv4_result decode(const sigv4_verifier *v, const upload *up, const char *wire, size_t wire_len,
                           size_t piece, strbuf *data, sigv4_chunked_decoder **keep) {
  sigv4_pair pairs[32];
  size_t n = sigv4_signed_request_header_count(up->signed_req);
  for (size_t i = 0; i < n && i < 32; i++) {
    const char *name, *value;
    size_t name_len, value_len;
    sigv4_signed_request_header(up->signed_req, i, &name, &name_len, &value, &value_len);
    pairs[i] = (sigv4_pair){(const uint8_t *)name, name_len, (const uint8_t *)value, value_len};
  }
  sigv4_request req = {.method = S("PUT"), .url = S(S3_URL), .headers = pairs, .headers_len = n};
  sigv4_verified_identity *who = NULL;
  sigv4_chunked_decoder *decoder = NULL;
  sigv4_result r = sigv4_verifier_verify_streaming(v, &req, s3_time, &who, &decoder);
  if (r != SIGV4_OK) {
    return r;
  }
  const char *payload = NULL;
  sigv4_verified_identity_payload_hash(who, &payload, NULL);
  CHECK(payload != NULL && strncmp(payload, "STREAMING-", 10) == 0, "identity payload %s",
        payload ? payload : "(null)");
  sigv4_verified_identity_free(who);
  sb_append(data, "", 0);
  for (size_t at = 0; at < wire_len && r == SIGV4_OK; at += piece) {
    size_t k = wire_len - at < piece ? wire_len - at : piece;
    const uint8_t *out = NULL;
    size_t out_len = 0;
    r = sigv4_chunked_decoder_feed(decoder, (const uint8_t *)wire + at, k, &out, &out_len);
    if (r == SIGV4_OK) {
      CHECK(out != NULL, "data pointer never NULL");
      sb_append(data, (const char *)out, out_len);
    }
  }
  if (r == SIGV4_OK) {
    r = sigv4_chunked_decoder_finish(decoder);
  }
  /* Data verified in a call that then failed (a bad trailer after the last chunk) is counted but
   * not handed out: outputs are written only on success. */
  uint64_t counted = sigv4_chunked_decoder_decoded_bytes(decoder);
  CHECK(r == SIGV4_OK ? counted == data->len : counted >= data->len,
        "decoded bytes count %llu, handed out %zu (result %u)", (unsigned long long)counted, data->len,
        (unsigned)r);
  if (keep != NULL) {
    *keep = decoder;
  } else {
    sigv4_chunked_decoder_free(decoder);
  }
  return r;
}

/* The S3 documentation's example, with the expected values from s3-examples.json. */
static void s3_example(const char *vectors) {
  char *json = read_in_file(vectors, "s3-examples.json");
  char *chunked = json ? strstr(json, "\"chunked_upload\"") : NULL;
  CHECK(chunked != NULL, "s3-examples.json has chunked_upload");
  if (chunked == NULL) {
    free(json);
    return;
  }
  char *seed = json_string(chunked, "seed_signature");
  char *sigs[3] = {NULL, NULL, NULL};
  const char *p = strstr(chunked, "\"chunk_signatures\"");
  for (int i = 0; i < 3 && p != NULL; i++) {
    p = strchr(p + (i == 0 ? 18 : 1), '"');
    if (p == NULL) {
      break;
    }
    const char *end = strchr(p + 1, '"');
    sigs[i] = calloc(1, (size_t)(end - p));
    memcpy(sigs[i], p + 1, (size_t)(end - p - 1));
    p = end;
  }
  CHECK(seed != NULL && sigs[2] != NULL && strlen(sigs[2]) == 64, "expected values read");
  if (seed == NULL || sigs[2] == NULL) {
    goto done;
  }

  char *body = malloc(66560);
  memset(body, 'a', 66560);
  sigv4_signer *signer = make_signer(0);
  sigv4_chunked_plan *plan = NULL;
  uint64_t planned = 0;
  CHECK_RESULT(sigv4_chunked_plan_new(SIGV4_PAYLOAD_STREAMING_SIGNED, 66560, 65536, &plan), SIGV4_OK);
  CHECK_RESULT(sigv4_chunked_plan_content_length(plan, &planned), SIGV4_OK);
  CHECK(planned == 66824, "planned Content-Length %llu, S3 documents 66824", (unsigned long long)planned);
  sigv4_chunked_plan_free(plan);

  /* Pieces of several sizes: the wire bytes must not depend on how the body is fed. */
  size_t pieces[] = {66560, 65536, 1000, 61};
  for (size_t k = 0; k < sizeof pieces / sizeof pieces[0]; k++) {
    upload up;
    if (!run_upload(signer, SIGV4_PAYLOAD_STREAMING_SIGNED, 66560, 65536, 0, body, pieces[k], &up)) {
      continue;
    }
    const char *sig = NULL;
    sigv4_signed_request_signature(up.signed_req, &sig, NULL);
    CHECK(sig != NULL && strcmp(sig, seed) == 0, "seed signature %s, S3 documents %s", sig ? sig : "", seed);
    const char *cl = header_value(up.signed_req, "Content-Length");
    CHECK(cl != NULL && strcmp(cl, "66824") == 0, "Content-Length %s", cl ? cl : "(none)");
    const char *decoded = header_value(up.signed_req, "x-amz-decoded-content-length");
    CHECK(decoded != NULL && strcmp(decoded, "66560") == 0, "x-amz-decoded-content-length");
    const char *ce = header_value(up.signed_req, "Content-Encoding");
    CHECK(ce != NULL && strcmp(ce, "aws-chunked") == 0, "Content-Encoding");
    const char *sha = header_value(up.signed_req, "x-amz-content-sha256");
    CHECK(sha != NULL && strcmp(sha, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD") == 0, "x-amz-content-sha256");
    strbuf want = {0};
    sb_puts(&want, "10000;chunk-signature=");
    sb_puts(&want, sigs[0]);
    sb_puts(&want, "\r\n");
    sb_append(&want, body, 65536);
    sb_puts(&want, "\r\n400;chunk-signature=");
    sb_puts(&want, sigs[1]);
    sb_puts(&want, "\r\n");
    sb_append(&want, body, 1024);
    sb_puts(&want, "\r\n0;chunk-signature=");
    sb_puts(&want, sigs[2]);
    sb_puts(&want, "\r\n\r\n");
    CHECK(up.wire.len == 66824 && want.len == 66824 && memcmp(up.wire.data, want.data, want.len) == 0,
          "the wire body differs from S3's example (pieces of %zu)", pieces[k]);
    sb_free(&want);

    /* The verifier accepts it and hands out the body. */
    if (k == 2) {
      sigv4_verifier *v = make_verifier(0);
      strbuf data = {0};
      sigv4_chunked_decoder *decoder = NULL;
      CHECK_RESULT(decode(v, &up, up.wire.data, up.wire.len, 4096, &data, &decoder), SIGV4_OK);
      CHECK(data.len == 66560 && memcmp(data.data, body, 66560) == 0, "decoded body");
      CHECK(sigv4_chunked_decoder_decoded_length(decoder) == 66560, "declared length");
      CHECK(sigv4_chunked_decoder_trailer_count(decoder) == 0, "no trailers");
      /* Bytes after the end are refused. */
      const uint8_t *out = NULL;
      size_t out_len = 0;
      CHECK_RESULT(sigv4_chunked_decoder_feed(decoder, S("x"), &out, &out_len), SIGV4_INVALID_CHUNK);
      sigv4_chunked_decoder_free(decoder);
      sb_free(&data);
      sigv4_verifier_free(v);
    }
    upload_free(&up);
  }
  sigv4_signer_free(signer);
  free(body);
done:
  free(seed);
  for (int i = 0; i < 3; i++) {
    free(sigs[i]);
  }
  free(json);
}

/* Encoder -> decoder in every payload form and both algorithms; tampering, truncation rejected. */
static int with_sigv4a = 1;

static void round_trips(void) {
  size_t length = 20000;
  char *body = malloc(length);
  unsigned state = 12345;
  for (size_t i = 0; i < length; i++) {
    state = state * 1103515245u + 12345u;
    body[i] = (char)(state >> 16);
  }
  struct {
    sigv4_payload payload;
    int trailer;
    int sigv4a;
  } forms[] = {
      {SIGV4_PAYLOAD_STREAMING_SIGNED, 0, 0},
      {SIGV4_PAYLOAD_STREAMING_SIGNED_TRAILER, 1, 0},
      {SIGV4_PAYLOAD_STREAMING_UNSIGNED_TRAILER, 1, 0},
      {SIGV4_PAYLOAD_STREAMING_SIGNED_TRAILER, 1, 1},
  };
  for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
    /* SigV4a chunks are ECDSA-signed and checked (slow under valgrind): two chunks suffice. */
    if (forms[f].sigv4a && !with_sigv4a) {
      continue;
    }
    length = forms[f].sigv4a ? 9000 : 20000;
    sigv4_signer *signer = make_signer(forms[f].sigv4a);
    sigv4_verifier *v = make_verifier(forms[f].sigv4a);
    upload up;
    if (!run_upload(signer, forms[f].payload, length, 8192, forms[f].trailer, body, 3000, &up)) {
      sigv4_signer_free(signer);
      sigv4_verifier_free(v);
      continue;
    }
    if (forms[f].sigv4a) {
      sigv4_chunked_plan *plan = NULL;
      uint64_t planned = 0;
      sigv4_chunked_plan_new(forms[f].payload, length, 8192, &plan);
      if (forms[f].trailer) {
        sigv4_chunked_plan_add_trailer(plan, S("x-amz-checksum-crc32"));
      }
      CHECK_RESULT(sigv4_chunked_plan_set_algorithm(plan, SIGV4_ALGORITHM_SIGV4A), SIGV4_OK);
      sigv4_chunked_plan_content_length(plan, &planned);
      CHECK(planned == up.wire.len, "SigV4a plan length %llu, wire %zu", (unsigned long long)planned,
            up.wire.len);
      sigv4_chunked_plan_free(plan);
    }
    strbuf data = {0};
    sigv4_chunked_decoder *decoder = NULL;
    CHECK_RESULT(decode(v, &up, up.wire.data, up.wire.len, 777, &data, &decoder), SIGV4_OK);
    CHECK(data.len == length && memcmp(data.data, body, length) == 0, "form %zu: decoded body", f);
    if (forms[f].trailer && decoder != NULL) {
      const char *name = NULL, *value = NULL;
      CHECK(sigv4_chunked_decoder_trailer_count(decoder) == 1, "one trailer");
      CHECK_RESULT(sigv4_chunked_decoder_trailer(decoder, 0, &name, NULL, &value, NULL), SIGV4_OK);
      CHECK(name && value && strcmp(name, "x-amz-checksum-crc32") == 0 && strcmp(value, CRC) == 0,
            "trailer %s: %s", name ? name : "", value ? value : "");
      CHECK_RESULT(sigv4_chunked_decoder_trailer(decoder, 1, &name, NULL, &value, NULL),
                   SIGV4_INDEX_OUT_OF_RANGE);
    }
    sigv4_chunked_decoder_free(decoder);
    sb_free(&data);

    /* Truncated: every feed succeeds, finish does not. */
    CHECK_RESULT(decode(v, &up, up.wire.data, up.wire.len - 3, 777, &data, NULL), SIGV4_INVALID_CHUNK);
    sb_free(&data);

    /* A data byte of the second chunk changed: (signed forms) rejected, and nothing of that chunk
     * is handed out. The second chunk's data starts after the first chunk's wire bytes. */
    if (forms[f].payload != SIGV4_PAYLOAD_STREAMING_UNSIGNED_TRAILER) {
      char *first_end = find(up.wire.data, up.wire.len, "\r\n");
      char *second = first_end + 2 + 8192 + 2;
      char *line_end = find(second, up.wire.len - (size_t)(second - up.wire.data), "\r\n");
      CHECK(line_end != NULL && find(second, (size_t)(line_end - second), ";chunk-signature=") != NULL,
            "second chunk header found");
      if (line_end != NULL) {
        size_t offset = (size_t)(line_end + 2 - up.wire.data) + 100;
        up.wire.data[offset] ^= 1;
        CHECK_RESULT(decode(v, &up, up.wire.data, up.wire.len, 777, &data, NULL), SIGV4_INVALID_CHUNK);
        CHECK(data.len <= 8192 && memcmp(data.data, body, data.len) == 0,
              "form %zu: %zu bytes handed out before the tampered chunk was rejected", f, data.len);
        sb_free(&data);
        up.wire.data[offset] ^= 1;
      }
      /* A chunk signature byte changed. */
      char *sig = strstr(up.wire.data, "chunk-signature=");
      if (sig != NULL) {
        sig[20] = sig[20] == '0' ? '1' : '0';
        CHECK_RESULT(decode(v, &up, up.wire.data, up.wire.len, 777, &data, NULL), SIGV4_INVALID_CHUNK);
        CHECK(data.len == 0, "nothing handed out before the first chunk's signature checked");
        sb_free(&data);
        sig[20] = sig[20] == '0' ? '1' : '0';
      }
    }
    /* An undeclared trailer. */
    if (forms[f].trailer) {
      char *t = find(up.wire.data, up.wire.len, "x-amz-checksum-crc32:");
      CHECK(t != NULL, "trailer found on the wire");
      if (t != NULL) {
        t[6] = 'X'; /* x-amz-Xhecksum-crc32 */
        CHECK_RESULT(decode(v, &up, up.wire.data, up.wire.len, 777, &data, NULL), SIGV4_INVALID_CHUNK);
        sb_free(&data);
        t[6] = 'c';
      }
    }
    upload_free(&up);
    sigv4_verifier_free(v);
    sigv4_signer_free(signer);
  }
  free(body);
}

/* The encoder checks the body and the trailers against the plan. */
static void encoder_checks(void) {
  sigv4_signer *signer = make_signer(0);
  sigv4_chunked_plan *plan = NULL;
  CHECK_RESULT(sigv4_chunked_plan_new(SIGV4_PAYLOAD_STREAMING_SIGNED_TRAILER, 10, 8192, &plan), SIGV4_OK);
  CHECK_RESULT(sigv4_chunked_plan_add_trailer(plan, S("x-amz-checksum-crc32")), SIGV4_OK);
  CHECK_RESULT(sigv4_chunked_plan_add_trailer(plan, S("x-amz-checksum-crc32")), SIGV4_INVALID_OPTION);
  CHECK_RESULT(sigv4_chunked_plan_add_trailer(plan, S("x-custom")), SIGV4_INVALID_OPTION);
  CHECK_RESULT(sigv4_chunked_plan_add_trailer_len(plan, S("x-custom"), 4), SIGV4_OK);
  sigv4_request req = {.method = S("PUT"), .url = S(S3_URL)};
  sigv4_signed_request *s = NULL;
  sigv4_chunked_encoder *e = NULL;
  CHECK_RESULT(sigv4_signer_sign_streaming(signer, &req, s3_time, plan, &s, &e), SIGV4_OK);
  const char *trailer = header_value(s, "x-amz-trailer");
  CHECK(trailer != NULL && strcmp(trailer, "x-amz-checksum-crc32,x-custom") == 0, "x-amz-trailer %s",
        trailer ? trailer : "(none)");
  const uint8_t *wire = NULL;
  size_t wire_len = 0;
  CHECK_RESULT(sigv4_chunked_encoder_write(e, S("0123456789abc"), &wire, &wire_len), SIGV4_INVALID_CHUNK);
  CHECK_RESULT(sigv4_chunked_encoder_write(e, S("01234"), &wire, &wire_len), SIGV4_OK);
  CHECK_RESULT(sigv4_chunked_encoder_finish(e, NULL, 0, &wire, &wire_len), SIGV4_INVALID_CHUNK);
  CHECK_RESULT(sigv4_chunked_encoder_write(e, S("56789"), &wire, &wire_len), SIGV4_OK);
  sigv4_pair one[] = {{S("x-amz-checksum-crc32"), S(CRC)}};
  sigv4_pair wrong_len[] = {{S("x-amz-checksum-crc32"), S(CRC)}, {S("x-custom"), S("abc")}};
  sigv4_pair undeclared[] = {{S("x-amz-checksum-crc32"), S(CRC)}, {S("x-other"), S("abcd")}};
  sigv4_pair both[] = {{S("x-amz-checksum-crc32"), S(CRC)}, {S("x-custom"), S("abcd")}};
  CHECK_RESULT(sigv4_chunked_encoder_finish(e, one, 1, &wire, &wire_len), SIGV4_INVALID_OPTION);
  CHECK_RESULT(sigv4_chunked_encoder_finish(e, wrong_len, 2, &wire, &wire_len), SIGV4_INVALID_OPTION);
  CHECK_RESULT(sigv4_chunked_encoder_finish(e, undeclared, 2, &wire, &wire_len), SIGV4_INVALID_OPTION);
  CHECK_RESULT(sigv4_chunked_encoder_finish(e, both, 2, &wire, &wire_len), SIGV4_OK);
  CHECK(wire_len > 0 && memmem_ok(wire, wire_len, "x-custom:abcd\r\n"), "trailer on the wire");
  CHECK_RESULT(sigv4_chunked_encoder_finish(e, both, 2, &wire, &wire_len), SIGV4_INVALID_CHUNK);
  CHECK_RESULT(sigv4_chunked_encoder_write(e, S("x"), &wire, &wire_len), SIGV4_INVALID_CHUNK);
  sigv4_signed_request_free(s);
  sigv4_chunked_encoder_free(e);
  s = NULL;
  e = NULL;
  /* A body in the request is refused (it goes through the encoder). */
  req.body = (const uint8_t *)"x";
  req.body_len = 1;
  CHECK_RESULT(sigv4_signer_sign_streaming(signer, &req, s3_time, plan, &s, &e), SIGV4_INVALID_OPTION);
  CHECK(s == NULL && e == NULL, "nothing written on failure");
  sigv4_chunked_plan_free(plan);
  plan = NULL;
  /* Plans: non-streaming payloads and chunk sizes out of range. */
  CHECK_RESULT(sigv4_chunked_plan_new(SIGV4_PAYLOAD_SIGNED, 1, 1, &plan), SIGV4_INVALID_OPTION);
  CHECK_RESULT(sigv4_chunked_plan_new(99, 1, 1, &plan), SIGV4_INVALID_OPTION);
  CHECK_RESULT(sigv4_chunked_plan_new(SIGV4_PAYLOAD_STREAMING_SIGNED, 1, 0, &plan), SIGV4_INVALID_OPTION);
  CHECK_RESULT(sigv4_chunked_plan_new(SIGV4_PAYLOAD_STREAMING_SIGNED, 1, 16777217, &plan), SIGV4_INVALID_OPTION);
  CHECK(plan == NULL, "no plan on failure");
  CHECK_RESULT(sigv4_chunked_plan_new(SIGV4_PAYLOAD_STREAMING_SIGNED, 1, 16777216, &plan), SIGV4_OK);
  CHECK_RESULT(sigv4_chunked_plan_add_trailer(plan, S("x-amz-checksum-crc32")), SIGV4_INVALID_OPTION);
  CHECK_RESULT(sigv4_chunked_plan_set_algorithm(plan, 7), SIGV4_INVALID_OPTION);
  sigv4_chunked_plan_free(plan);
  sigv4_signer_free(signer);
}

int main(int argc, char **argv) {
  if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "--no-sigv4a") != 0)) {
    fprintf(stderr, "usage: %s <tests/vectors directory> [--no-sigv4a]\n", argv[0]);
    return 2;
  }
  with_sigv4a = argc == 2; /* valgrind runs skip the (slow, ECDSA) SigV4a round trip */
  CHECK_RESULT(sigv4_timestamp_parse(S("20130524T000000Z"), &s3_time), SIGV4_OK);
  s3_example(argv[1]);
  round_trips();
  encoder_checks();
  return test_summary("C streaming");
}
