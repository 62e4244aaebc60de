#!/usr/bin/env node
require('../assets/bin/cdktf-cbr.js').main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
