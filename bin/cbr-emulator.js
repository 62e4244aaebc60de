#!/usr/bin/env node
require('../assets/bin/cbr-emulator.js').main(process.argv.slice(2));
