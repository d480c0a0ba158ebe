// The page script of the browser run: `libsigv4` and `libsigv4/aws4fetch` bundled by esbuild for the browser
// (the `browser` condition: the WebAssembly build; the .wasm imported as bytes with `--loader:.wasm=binary`).
import * as lib from 'libsigv4'
import * as aws4fetch from 'libsigv4/aws4fetch'
import aws4 from 'libsigv4/aws4'
import { runSuite } from '../suite.mjs'

globalThis.runEdge = async (data) => ({ ...(await runSuite(lib, aws4fetch, data, { aws4 })), backend: lib.backend })
