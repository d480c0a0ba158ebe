'use strict'
// Invokes a bundled handler as Lambda's Node runtime does: require the bundle, call handler(event, context),
// await the result. Usage: node invoke.cjs <bundle dir> <event.json>   (prints the result as JSON)
const path = require('node:path')
const fs = require('node:fs')
const { handler } = require(path.resolve(process.argv[2], 'index.js'))
const event = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'))
const context = { awsRequestId: 'local-invoke', functionName: 'libsigv4-example', getRemainingTimeInMillis: () => 3000 }
handler(event, context).then(
  (result) => console.log(JSON.stringify(result)),
  (err) => { console.error(err); process.exit(1) },
)
