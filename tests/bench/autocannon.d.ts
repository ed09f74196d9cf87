// The parts of autocannon 9 (which ships no types) that the server benchmark and integration test use.
declare module 'autocannon' {
  interface Histogram {
    readonly average: number;
    readonly mean: number;
    readonly p50: number;
    readonly p99: number;
    readonly max: number;
    readonly total: number;
  }
  interface Result {
    readonly errors: number;
    readonly timeouts: number;
    readonly non2xx: number;
    readonly latency: Histogram;
    readonly requests: Histogram;
    readonly throughput: Histogram;
    readonly duration: number;
  }
  interface Client {
    on(event: 'body', listener: (body: Buffer) => void): void;
  }
  interface Options {
    readonly url: string;
    readonly connections?: number;
    readonly duration?: number;
    readonly amount?: number;
    readonly pipelining?: number;
    readonly headers?: Record<string, string>;
    readonly setupClient?: (client: Client) => void;
  }
  export type { Result, Options, Client, Histogram };
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
