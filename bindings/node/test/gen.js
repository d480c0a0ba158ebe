'use strict'
// Seeded generator of hostile requests for the differential tests.

/** mulberry32: a small seeded PRNG, so failures reproduce. */
function rng(seed) {
  let a = seed >>> 0
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const SEGMENTS = ['a', 'key', 'x y', '+', '%2B', '@', '*', ':', '=', '$', 'é', '日本', '', '.', '..', '~', 'a-b_c.d', "it's", '(1)', '!']
const QUERY_PARTS = ['a', 'b', 'A', 'k', '', 'x y', '+', '@', '*', ':', '=', '$', 'é', '/', '&', '%', '~', '1']
const HEADER_NAMES = ['X-Amz-Meta-A', 'x-custom', 'Content-Type', 'X-Rep', 'x-amz-target']
const HEADER_VALUES = ['v', ' padded ', 'a   b', 'x y z', 'é', 'application/json', '1', 'a,b', '"q   q"']

function pick(r, list) {
  return list[Math.floor(r() * list.length)]
}

/** A hostile request: raw path segments, decoded query pairs, header pairs, body. */
function request(r) {
  const segs = Array.from({ length: 1 + Math.floor(r() * 4) }, () => pick(r, SEGMENTS))
  const path = '/' + segs.join('/') + (r() < 0.2 ? '/' : '')
  const query = Array.from({ length: Math.floor(r() * 4) }, () => [
    pick(r, QUERY_PARTS) + (r() < 0.3 ? pick(r, QUERY_PARTS) : ''),
    pick(r, QUERY_PARTS) + (r() < 0.3 ? pick(r, QUERY_PARTS) : ''),
  ])
  if (query.length && r() < 0.3) query.push([query[0][0], pick(r, QUERY_PARTS)]) // repeated key
  const headers = []
  const used = new Set()
  for (let i = Math.floor(r() * 3); i > 0; i--) {
    const name = pick(r, HEADER_NAMES)
    if (used.has(name)) continue
    used.add(name)
    headers.push([name, pick(r, HEADER_VALUES)])
    if (name === 'X-Rep') headers.push([name, pick(r, HEADER_VALUES)]) // repeated header
  }
  const body = r() < 0.5 ? '' : pick(r, ['{"a":1}', 'hello world', 'é', 'x'.repeat(100)])
  const method = body ? pick(r, ['POST', 'PUT']) : pick(r, ['GET', 'DELETE', 'GET'])
  return { method, path, query, headers, body }
}

/** The wire query for decoded pairs: encodeURIComponent, spaces sometimes as '+'. */
function wireQuery(r, pairs) {
  return pairs.map(([k, v]) => {
    const enc = (s) => {
      const e = encodeURIComponent(s)
      return r() < 0.5 ? e.replace(/%20/g, '+') : e
    }
    return enc(k) + '=' + enc(v)
  }).join('&')
}

module.exports = { rng, request, wireQuery, pick }
