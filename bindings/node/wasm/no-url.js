'use strict'
// `#node-url` where there is no node:url (Workers, browsers): url.parse for aws4's string requests, built on
// WHATWG URL (the fields aws4 reads: protocol, host, hostname, port, path, pathname, search, query, href).
function parse(text) {
  const u = new URL(text)
  const path = u.pathname + u.search
  return { protocol: u.protocol, host: u.host, hostname: u.hostname, port: u.port || null, path, pathname: u.pathname, search: u.search || null, query: u.search ? u.search.slice(1) : null, href: u.href }
}

module.exports = { parse }
