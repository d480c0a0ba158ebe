// The Node benchmarks live in bench/node but measure bindings/node: its build (the release addon that `make
// bench-node` makes there) and the competitors installed in its node_modules (aws4, @smithy/*, @aws-sdk/*,
// autocannon, aws4fetch). This is the one place that knows the path; `pkgRequire('aws4')` resolves as a file in
// bindings/node would, `pkgRequire(dir)` loads the package itself.
const path = require('node:path')
const { createRequire } = require('node:module')

const dir = path.resolve(__dirname, '..', '..', 'bindings', 'node')
module.exports = { dir, pkgRequire: createRequire(path.join(dir, 'package.json')) }
