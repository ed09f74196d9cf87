import type { Command } from '../command.js';
import { statusCommand } from './status.js';
import { bytesCommand } from './bytes.js';
import { streamCommand } from './stream.js';
import { probeCommand } from './probe.js';
import { keygenCommand } from './keygen.js';
import { signCommand } from './sign.js';
import { keysCommand } from './keys.js';
import { guardCommand } from './guard.js';
import { hsmCommand } from './hsm.js';
import { signerCommand } from './signer.js';
import { agentCommand } from './agent.js';
import { aggregatorCommand } from './aggregator.js';
import { simCommand } from './sim.js';
import { testCommand } from './test.js';
import { reportCommand } from './report.js';
import { serveCommand } from './serve.js';
import { ceremonyCommand } from './ceremony.js';
import { scanCommand } from './scan.js';
import { benchCommand } from './bench.js';
import { deviceCommand } from './device.js';
import { monitorCommand } from './monitor.js';
import { poolCommand } from './pool.js';

// Each command lives in its own file; add it here, one line each.
export const commands: readonly Command[] = [
  statusCommand,
  bytesCommand,
  streamCommand,
  probeCommand,
  keygenCommand,
  signCommand,
  keysCommand,
  guardCommand,
  hsmCommand,
  signerCommand,
  agentCommand,
  aggregatorCommand,
  simCommand,
  testCommand,
  reportCommand,
  serveCommand,
  ceremonyCommand,
  scanCommand,
  benchCommand,
  deviceCommand,
  monitorCommand,
  poolCommand,
];
