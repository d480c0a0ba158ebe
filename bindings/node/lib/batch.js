'use strict'

/**
 * Runs `worker(item, index)` over `items` with at most `concurrency` running at once.
 * Resolves to settled results in input order: `{status: 'fulfilled', value}` or
 * `{status: 'rejected', reason}` (like `Promise.allSettled`), so one failure does not hide the others.
 */
async function batch(items, worker, { concurrency = 8, signal } = {}) {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    const { SigV4Error } = require('./errors')
    throw new SigV4Error('InvalidOption', 'concurrency must be a positive integer', 'concurrency')
  }
  const list = Array.from(items)
  const results = new Array(list.length)
  let next = 0
  async function lane() {
    while (next < list.length) {
      const i = next++
      if (signal && signal.aborted) {
        results[i] = { status: 'rejected', reason: signal.reason }
        continue
      }
      try {
        results[i] = { status: 'fulfilled', value: await worker(list[i], i) }
      } catch (reason) {
        results[i] = { status: 'rejected', reason }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, list.length) }, lane))
  return results
}

module.exports = { batch }
