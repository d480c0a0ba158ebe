'use strict'
// Loads the napi-rs addon through the loader napi generates (native.js, never edited by hand).
module.exports = require('../native.js')
