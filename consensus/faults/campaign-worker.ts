/** A campaign worker thread: runs the jobs it is sent and posts each result back. */
import { parentPort, workerData } from 'node:worker_threads';
import { scenarioFor, type CampaignJob } from './campaign.js';
import type { MutationName } from './mutations.js';
import { runScenario } from './runner.js';

const { mutations } = workerData as { mutations: MutationName[] };
parentPort?.on('message', (job: CampaignJob) => {
  void runScenario(scenarioFor(job.scenario, job.seed), { seed: job.seed, mutations }).then((result) =>
    parentPort?.postMessage({ job, result }),
  );
});
