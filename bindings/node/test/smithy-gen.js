'use strict'
// Seeded generator for the Signer vs @smithy/signature-v4 differential: the classes issue 14
// lists — every printable ASCII character in path segments, query keys and values; dot segments
// ('.', '..', trailing '/.', '//'); percent escapes in upper and lower case; unicode; repeated
// keys with different values; empty keys and values; header values with runs of spaces, tabs,
// leading/trailing whitespace; one header name in different letter case; session tokens;
// unsigned and precomputed payloads.
const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i))
const UNICODE = ['é', '日本', '😀', 'ß', '\u00a0']
const HEADER_NAMES = ['X-Amz-Meta-A', 'x-custom', 'Content-Type', 'x-amz-target', 'X-Rep']
const HEADER_VALUES = ['v', '  padded  ', 'a   b', '\ta\t\tb\t', ' \t mixed \t ', 'é', 'a,b', '"q   q"', '', 'x y z']
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'

function pick(r, list) {
  return list[Math.floor(r() * list.length)]
}

function rawText(r, max) {
  let s = ''
  for (let i = 1 + Math.floor(r() * max); i > 0; i--) s += r() < 0.85 ? pick(r, PRINTABLE) : pick(r, UNICODE)
  return s
}

// RFC 3986 encoding with the hex digits in either case (as clients send them).
function encode(s, r, lower) {
  const e = encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
  return lower ? e.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()) : e
}

/** Class of a path segment: what it is on the wire. */
function segment(r, lower) {
  const x = r()
  if (x < 0.15) return pick(r, ['.', '..'])
  if (x < 0.2) return ''
  if (x < 0.3) return pick(r, ['%2F', '%2f', '%41', '%e9', '%C3%A9', '%7E', '%7e'])
  return encode(rawText(r, 3), r, lower)
}

/**
 * One request: `path` (wire form), `query` (decoded [key, value] pairs, repeats allowed) and
 * `wireQuery`, `headers` ([name, value] pairs), `body`, `payload` ('body' | 'precomputed' |
 * 'unsigned'), `token` (a session token or undefined).
 */
function smithyRequest(r) {
  const lower = r() < 0.3
  const n = Math.floor(r() * 5)
  let path = ''
  for (let i = 0; i < n; i++) path += '/' + segment(r, lower)
  if (path === '' || r() < 0.1) path += '/'
  if (r() < 0.1) path += pick(r, ['/.', '/..', '//'])
  const query = []
  for (let i = Math.floor(r() * 4); i > 0; i--) {
    const k = r() < 0.1 ? '' : rawText(r, 3)
    query.push([k, r() < 0.15 ? '' : rawText(r, 3)])
    if (r() < 0.25) query.push([k, rawText(r, 2)]) // repeated key, another value
  }
  const wireQuery = query.map(([k, v]) => encode(k, r, lower) + '=' + encode(v, r, lower)).join('&')
  const headers = []
  const used = new Set()
  for (let i = Math.floor(r() * 4); i > 0; i--) {
    const name = pick(r, HEADER_NAMES)
    if (used.has(name)) continue
    used.add(name)
    headers.push([name, pick(r, HEADER_VALUES)])
    if (r() < 0.3) headers.push([r() < 0.5 ? name.toLowerCase() : name.toUpperCase(), pick(r, HEADER_VALUES)]) // same name, other case
  }
  const body = r() < 0.5 ? '' : pick(r, ['{"a":1}', 'hello world', 'é日本', 'x'.repeat(100)])
  const method = body ? pick(r, ['POST', 'PUT']) : pick(r, ['GET', 'DELETE', 'HEAD'])
  const p = r()
  const payload = p < 0.7 ? 'body' : p < 0.85 ? 'precomputed' : 'unsigned'
  const token = r() < 0.4 ? pick(r, ['tok/en+=', 'FwoGZXIvYXdzE///token==']) : undefined
  return { method, path, query, wireQuery, headers, body, payload, token, EMPTY_SHA256 }
}

module.exports = { smithyRequest, pick }
