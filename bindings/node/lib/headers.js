'use strict'
// Header lists as the native side takes them, from every shape the JS API accepts: a flat
// [name, value, name, value, ...] list of strings. One translation for both backends (the napi addon and the
// WebAssembly glue read only that form): an object ({name: value}, a value may be an array of values, sent
// as repeated headers; numbers, booleans and bigints as String() gives them; undefined and null skipped),
// an array of [name, value] pairs, a flat list (Node's req.rawHeaders) or a Headers instance.
const { SigV4Error } = require('./errors')

function bad() {
  return new SigV4Error('InvalidHeaderName', 'headers must be an object, an array of [name, value] pairs, or a Headers instance', 'headers')
}

function text(v, code, what) {
  if (typeof v !== 'string') throw new SigV4Error(code, `${what} must be a string`, what)
  return v
}

function pushValue(v, out, name) {
  switch (typeof v) {
    case 'string': out.push(name, v); return
    case 'number': case 'boolean': case 'bigint': out.push(name, String(v)); return
    case 'undefined': return
    default:
      if (v === null) return
      if (Array.isArray(v)) {
        for (const item of v) pushValue(item, out, name)
        return
      }
      throw new SigV4Error('InvalidHeaderValue', `value of header ${JSON.stringify(name)} must be a string or a number`, 'header value')
  }
}

/** `v` as a flat [name, value, ...] list appended to `out` (`undefined` for no headers, so a request without
 * headers allocates nothing). */
function headerList(v, out) {
  if (v === undefined || v === null) return out
  if (typeof v !== 'object') throw bad()
  if (out === undefined) out = []
  if (typeof v.entries === 'function' && !Array.isArray(v)) v = [...v.entries()]
  if (Array.isArray(v)) {
    if (v.length > 0 && typeof v[0] === 'string') {
      if (v.length & 1) throw new SigV4Error('InvalidHeaderName', 'a flat header list (rawHeaders) must hold name, value pairs', 'headers')
      for (let i = 0; i < v.length; i += 2) {
        out.push(text(v[i], 'InvalidHeaderName', 'header name'), text(v[i + 1], 'InvalidHeaderValue', 'header value'))
      }
      return out
    }
    for (const pair of v) {
      if (!Array.isArray(pair) || pair.length !== 2) throw bad()
      pushValue(pair[1], out, text(pair[0], 'InvalidHeaderName', 'header name'))
    }
    return out
  }
  for (const name of Object.keys(v)) pushValue(v[name], out, name)
  return out
}

module.exports = { headerList }
