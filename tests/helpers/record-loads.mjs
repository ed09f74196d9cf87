// `node --import tests/helpers/record-loads.mjs ENTRY`: appends the URL of every ES module the process
// loads through the ESM loader to the file named by RECORD_LOADS (one per line). Used by
// tests/unit/shape/lazy-imports.test.ts to show which code an import pulls in, without timing anything.
import { register } from 'node:module';

register('./record-loads-hooks.mjs', import.meta.url);
