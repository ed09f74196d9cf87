#!/usr/bin/env bash
# The whole suite, exactly what `npm test` and CI run: type-check, build (the CLI tests run the built
# binary), unit + vector + property + adversarial tests, the dudect timing gate, then the integration
# tests against real SoftHSM2 and swtpm tokens (which scripts/tokens/ install, start and stop).
set -euo pipefail
cd "$(dirname "$0")/.."

npm run -s typecheck
npm run -s build
npx vitest run --project unit
npm run -s test:timing
npm run -s test:integration
