// The hooks record-loads.mjs registers; they run on the loader's thread and write synchronously.
import { appendFileSync } from 'node:fs';

const out = process.env.RECORD_LOADS;

export async function load(url, context, nextLoad) {
  if (out !== undefined) appendFileSync(out, `${url}\n`);
  return nextLoad(url, context);
}
