/** Fault scenarios, Byzantine strategies, the mutation suite, runs, campaigns, swarm, shrinking. */
export type { ByzantineStrategy, CrashFault, EntropyFault, Expectation, Scenario } from './scenario.js';
export { parseScenario } from './scenario.js';
export { SCENARIOS, scenarioNamed } from './catalog.js';
export { hooksFor, FORK_VIEWS } from './byzantine.js';
export { forgeChain } from './long-range.js';
export type { ForgedChainOptions } from './long-range.js';
export { MUTATIONS, MUTATION_NAMES, isMutationName, protocolFlags } from './mutations.js';
export type { MutationName } from './mutations.js';
export { runScenario, leaderByRotation, CHAIN_ID } from './runner.js';
export type { RunOptions, RunResult } from './runner.js';
export { swarmScenario, twinsScenario } from './swarm.js';
export { shrinkFailure } from './shrink.js';
export type { ShrinkResult } from './shrink.js';
export { runCampaign, mergeCampaigns, campaignJobs, expandScenarios, scenarioFor } from './campaign.js';
export type { CampaignFailure, CampaignJob, CampaignOptions, CampaignResult } from './campaign.js';
