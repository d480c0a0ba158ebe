'use strict'
// `trustedProxies` in the node:http / Express middleware: behind a reverse proxy, verify what the client
// signed. The rule is the core's (core/src/http/forwarded.rs, through NativeTrustedProxies): the
// `X-Forwarded-Host` / `X-Forwarded-Prefix` headers are honoured only when the connected peer
// (`req.socket.remoteAddress`) is in the list, and then the last value of each (the one that proxy set);
// from any other peer they are ignored. Here the answer is applied to the target and headers verified.
const { NativeTrustedProxies } = require('#native')
const { SigV4Error } = require('./errors')
const { adopt } = require('./verifier')

/** The option: undefined (off) or an array of addresses / CIDR blocks (`['127.0.0.1', '10.0.0.0/8']`). */
function trustedProxies(list) {
  if (list === undefined || list === null) return undefined
  if (!Array.isArray(list) || !list.every((e) => typeof e === 'string')) {
    throw new SigV4Error('InvalidOption', 'trustedProxies must be an array of addresses or CIDR blocks, e.g. [\'10.0.0.0/8\']', 'trustedProxies')
  }
  try {
    return new NativeTrustedProxies(list)
  } catch (e) {
    // The core names the option in snake_case (one message for every binding).
    if (e && e.code === 'InvalidOption') e.argument = 'trustedProxies'
    throw adopt(e)
  }
}

/**
 * `{url, raw}` to verify for `req` (url = the received target, raw = req.rawHeaders): unchanged, or with
 * the forwarded prefix before the path and the forwarded host as `Host`. Throws a VerificationError
 * (InvalidHeaderValue) for a malformed value from a trusted proxy, InvalidUrl for a target that is not
 * origin-form (checked natively before a prefix could hide it).
 */
function forwarded(trusted, req, url, raw) {
  let host
  let prefix
  for (let i = 0; i < raw.length; i += 2) {
    const n = raw[i]
    if (n.length === 16 && n.toLowerCase() === 'x-forwarded-host') host = host === undefined ? raw[i + 1] : `${host},${raw[i + 1]}`
    else if (n.length === 18 && n.toLowerCase() === 'x-forwarded-prefix') prefix = prefix === undefined ? raw[i + 1] : `${prefix},${raw[i + 1]}`
  }
  if (host === undefined && prefix === undefined) return { url, raw }
  const peer = req.socket ? req.socket.remoteAddress : undefined
  let found
  try {
    found = trusted.resolve(peer, host, prefix, url)
  } catch (e) {
    throw adopt(e)
  }
  if (found.length === 0) return { url, raw }
  const [fhost, fprefix] = found
  let headers = raw
  if (fhost !== '') {
    headers = []
    for (let i = 0; i < raw.length; i += 2) {
      if (!(raw[i].length === 4 && raw[i].toLowerCase() === 'host')) headers.push(raw[i], raw[i + 1])
    }
    headers.push('Host', fhost)
  }
  return { url: fprefix + url, raw: headers }
}

module.exports = { trustedProxies, forwarded }
