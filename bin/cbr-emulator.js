#!/usr/bin/env node
require('../lib/emulator/cli.js').main(process.argv.slice(2));
