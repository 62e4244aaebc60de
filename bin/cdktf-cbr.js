#!/usr/bin/env node
require('../lib/runtime/cli.js').main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
