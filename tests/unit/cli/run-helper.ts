// Moved to tests/helpers/cli.ts; kept so the command tests that import it from here keep working.
export * from '../../helpers/cli.js';
