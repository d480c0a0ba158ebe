'use strict'
// Node's querystring.parse / stringify as aws4 1.13.2 calls them (default separators, 1000
// pairs at most), without the `querystring` module or Buffer: libsigv4/aws4 must also run where
// neither exists (Workers, browsers). Only the query aws4 sends and parses goes through here;
// the canonical query is built by the core.

var HEX_ESCAPE = /%[0-9A-Fa-f]{2}/

function hexValue(c) {
  if (c >= 48 && c <= 57) return c - 48
  if (c >= 65 && c <= 70) return c - 55
  if (c >= 97 && c <= 102) return c - 87
  return -1
}

var utf8 = typeof TextDecoder === 'function' ? new TextDecoder() : null

// querystring.unescapeBuffer(s).toString(): valid %XX escapes decoded, anything else kept (a
// code unit as its low byte, as Buffer stores it), then decoded as UTF-8 with replacement.
function unescapeBytes(s) {
  var out = new Uint8Array(s.length), n = 0, i = 0, max = s.length - 2
  while (i < s.length) {
    var c = s.charCodeAt(i)
    if (c === 43) { out[n++] = 32; i++; continue }
    if (c === 37 && i < max) {
      c = s.charCodeAt(++i)
      var hi = hexValue(c)
      if (hi < 0) { out[n++] = 37; continue }
      var lo = hexValue(s.charCodeAt(++i))
      if (lo < 0) { out[n++] = 37; i--; continue }
      c = hi * 16 + lo
    }
    out[n++] = c & 255
    i++
  }
  return utf8.decode(out.subarray(0, n))
}

// What querystring.parse makes of one key or value: '+' is a space; decoded only when it holds a
// valid %XX escape (decodeURIComponent, else the lenient byte decoding).
function decode(s) {
  if (s.indexOf('+') >= 0) s = s.replace(/\+/g, ' ')
  if (!HEX_ESCAPE.test(s)) return s
  try {
    return decodeURIComponent(s)
  } catch (e) {
    return unescapeBytes(s)
  }
}

function add(obj, key, value) {
  var current = obj[key]
  if (current === undefined) obj[key] = value
  else if (Array.isArray(current)) current.push(value)
  else obj[key] = [current, value]
}

/** querystring.parse(qs): a null-prototype object, repeated keys as arrays. */
function parse(qs) {
  var obj = Object.create(null)
  if (typeof qs !== 'string' || qs.length === 0) return obj
  var pairs = 1000, start = 0
  for (;;) {
    var end = qs.indexOf('&', start), last = end < 0
    if (last) end = qs.length
    if (end > start) {
      var eq = qs.indexOf('=', start)
      if (eq < 0 || eq > end) add(obj, decode(qs.slice(start, end)), '')
      else add(obj, decode(qs.slice(start, eq)), decode(qs.slice(eq + 1, end)))
    }
    if (last || --pairs === 0) return obj
    start = end + 1
  }
}

// aws4's encodeRfc3986(querystring.escape(s)): RFC 3986 unreserved characters kept.
function escape(s) {
  return encodeURIComponent(s).replace(/[!'()*]/g, function(c) {
    return '%' + c.charCodeAt(0).toString(16).toUpperCase()
  })
}

function stringified(v) {
  if (typeof v === 'string') return v.length ? escape(v) : ''
  if (typeof v === 'number' && isFinite(v)) return Math.abs(v) < 1e21 ? '' + v : escape('' + v)
  if (typeof v === 'bigint') return '' + v
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  return ''
}

/** encodeRfc3986(querystring.stringify(obj)), as aws4's formatPath writes the query it sends. */
function stringify(obj) {
  var keys = Object.keys(obj), fields = ''
  for (var i = 0; i < keys.length; i++) {
    var ks = stringified(keys[i]) + '=', v = obj[keys[i]]
    if (Array.isArray(v)) {
      if (v.length === 0) continue
      if (fields) fields += '&'
      for (var j = 0; j < v.length; j++) {
        if (j) fields += '&'
        fields += ks + stringified(v[j])
      }
    } else {
      if (fields) fields += '&'
      fields += ks + stringified(v)
    }
  }
  return fields
}

module.exports = { parse: parse, stringify: stringify }
