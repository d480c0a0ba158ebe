'use strict'
// Session tokens kept out of what the package shows (util.inspect) and serialises (toJSON): the
// token line of a canonical request, the token header, the token query parameter of a URL.
const REDACTED = '** redacted **'

/** `text` (a canonical request, a URL or a query) with every session token value replaced. */
function redactText(text) {
  if (typeof text !== 'string') return text
  return text
    .replace(/^(x-amz-security-token:).*$/gim, '$1' + REDACTED)
    .replace(/([?&]X-Amz-Security-Token=)[^&\n#]*/gi, '$1' + REDACTED)
}

/** A copy of a headers object (or [name, value] pairs) with the token header's value replaced. */
function redactHeaders(headers) {
  if (!headers || typeof headers !== 'object') return headers
  const token = (name) => String(name).toLowerCase() === 'x-amz-security-token'
  if (Array.isArray(headers)) return headers.map(([n, v]) => [n, token(n) ? REDACTED : v])
  const out = {}
  for (const [n, v] of Object.entries(headers)) out[n] = token(n) ? REDACTED : v
  return out
}

module.exports = { redactText, redactHeaders, REDACTED }
