'use strict'
// Streaming (aws-chunked) uploads: S3 PutObject/UploadPart without buffering the body. The request
// is signed up front (Content-Length computed from the plan); the body goes through an encoder
// that signs chunk after chunk, chained from the request's signature.
// util.inspect's hook, by its registered name: no node:util import (the file runs in Workers and browsers).
const INSPECT = Symbol.for('nodejs.util.inspect.custom')
const { redactText, redactHeaders } = require('./redact')
const { headerList } = require('./headers')
const { Transform, Readable } = require('#node-stream')

/** Chunks at least this large are signed on the libuv thread pool (hashing dominates). */
const OFF_THREAD_BYTES = 256 * 1024

const hasBuffer = typeof Buffer === 'function'

function asBuffer(data) {
  if (!hasBuffer) return asBytes(data)
  if (Buffer.isBuffer(data)) return data
  if (typeof data === 'string') return Buffer.from(data)
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  if (data instanceof ArrayBuffer) return Buffer.from(data)
  throw new TypeError('upload data must be a Buffer, Uint8Array or string')
}

/** Bytes without Buffer (Workers, browsers). */
function asBytes(data) {
  if (data instanceof Uint8Array) return data
  if (typeof data === 'string') return new TextEncoder().encode(data)
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  throw new TypeError('upload data must be a Buffer, Uint8Array or string')
}

/** Trailer values (an object, pairs, or a function giving them at the end) as the flat list the native side takes. */
function trailersOf(t) {
  return headerList(typeof t === 'function' ? t() : t)
}

/**
 * A signed streaming upload (from `signer.signStreaming`): send `method`, `url` and `headers` with
 * the wire body from `transform()` or `encode()`. The encoder is stateful: encode the body once.
 */
class StreamingUpload {
  #native
  constructor(native, signed) {
    this.#native = native
    /** The signed request (method, url, headers, signature, ...). */
    this.signed = signed
    /** The HTTP method. */
    this.method = signed.method
    /** The URL to send. */
    this.url = signed.url
    /** Every header to send, `Content-Length` and `Content-Encoding: aws-chunked` included. */
    this.headers = signed.headers
    /** The request's signature, the seed of the chunk signatures. */
    this.seedSignature = signed.signature
  }

  /** Body bytes encoded so far. */
  get bytesWritten() { return this.#native.bytesWritten }

  /** The wire bytes for `data` (whole chunks; a partial chunk waits for more data or `final`). */
  chunk(data) { return this.#native.write(data) }

  /** Like `chunk`, signing on the thread pool. */
  chunkAsync(data) { return this.#native.writeAsync(asBuffer(data)) }

  /** The last bytes: the remaining partial chunk, the final chunk and the trailers (declared ones). */
  final(trailers) { return this.#native.finish(headerList(trailers)) }

  /**
   * A Transform stream: body bytes in, aws-chunked wire bytes out. `trailers` (an object, or a
   * function called at the end, e.g. to read a checksum computed along the way) gives the values of
   * the declared trailers. Large writes are signed off the event loop.
   */
  transform({ trailers } = {}) {
    const self = this
    return new Transform({
      transform(chunk, _enc, done) {
        const data = asBuffer(chunk)
        if (data.length >= OFF_THREAD_BYTES) {
          self.#native.writeAsync(data).then((out) => done(null, out.length ? out : undefined), done)
          return
        }
        let out
        try { out = self.#native.write(data) } catch (e) { return done(e) }
        done(null, out.length ? out : undefined)
      },
      flush(done) {
        let out
        try { out = self.#native.finish(trailersOf(trailers)) } catch (e) { return done(e) }
        done(null, out)
      },
    })
  }

  /**
   * The wire body as an async iterable of Buffers, from `source` (an async or sync iterable of
   * Buffer/Uint8Array/string, or a Readable). Usable as a fetch body (`duplex: 'half'`) via
   * `Readable.from(...)`, or piped to `http.request`.
   */
  async * encode(source, { trailers } = {}) {
    for await (const chunk of source) {
      const data = asBuffer(chunk)
      const out = data.length >= OFF_THREAD_BYTES ? await this.#native.writeAsync(data) : this.#native.write(data)
      if (out.length) yield out
    }
    yield this.#native.finish(trailersOf(trailers))
  }

  /** What JSON.stringify writes: the session token (header or URL parameter) redacted. */
  toJSON() {
    return {
      method: this.method,
      url: redactText(this.url),
      headers: redactHeaders(this.headers),
      seedSignature: this.seedSignature,
      bytesWritten: this.bytesWritten,
    }
  }

  [INSPECT](depth, options, inspect) {
    return `StreamingUpload { method: '${this.method}', url: ${inspect(this.url)}, seedSignature: '${this.seedSignature}', bytesWritten: ${this.bytesWritten}, signed: ${inspect(this.signed, { ...options, depth: 2 })} }`
  }

  /**
   * A web `TransformStream` (Workers, browsers, Deno, Bun, Node): body bytes in, aws-chunked wire
   * bytes out, signed as they pass (nothing buffered beyond one chunk). `trailers` as in `transform`.
   */
  transformStream({ trailers } = {}) {
    const self = this
    return new TransformStream({
      transform(chunk, controller) {
        const out = self.#native.write(asBuffer(chunk))
        if (out.length) controller.enqueue(out)
      },
      flush(controller) {
        controller.enqueue(self.#native.finish(trailersOf(trailers)))
      },
    })
  }

  /**
   * The wire body as a web `ReadableStream` from `source` (a `ReadableStream` or an async/sync
   * iterable of bytes): a `fetch` body (with `duplex: 'half'` where the runtime asks for it).
   */
  readableStream(source, options) {
    if (typeof source.pipeThrough === 'function') return source.pipeThrough(this.transformStream(options))
    const it = this.encode(source, options)[Symbol.asyncIterator]()
    return new ReadableStream({
      async pull(controller) {
        const { value, done } = await it.next()
        if (done) controller.close()
        else controller.enqueue(value)
      },
      cancel(reason) { return it.return ? it.return(reason) : undefined },
    })
  }

  /** `encode` as a Readable stream. */
  readable(source, options) {
    return Readable.from(this.encode(source, options), { objectMode: false })
  }
}

module.exports = { StreamingUpload, OFF_THREAD_BYTES }
