import type { Command } from '../command.js';

// Each command lives in its own file; add it here, one line each.
export const commands: readonly Command[] = [
];
