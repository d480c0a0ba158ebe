'use strict'
/** Errors thrown by the JS layer, shaped like the native ones: `code` (stable) and `argument`. */
class SigV4Error extends Error {
  constructor(code, message, argument) {
    super(message)
    this.name = 'SigV4Error'
    this.code = code
    if (argument !== undefined) this.argument = argument
  }
}

/** An HTTP call answered with a status the caller treats as failure; carries `status` and `body`. */
class HttpError extends Error {
  constructor(status, statusText, body, url, method) {
    const shown = typeof body === 'string' ? body.slice(0, 200) : JSON.stringify(body ?? '').slice(0, 200)
    super(`${method} ${url} failed: ${status} ${statusText}${shown ? ` - ${shown}` : ''}`)
    this.name = 'HttpError'
    this.code = 'HttpError'
    this.status = status
    this.statusText = statusText
    this.body = body
  }
}

module.exports = { SigV4Error, HttpError }
