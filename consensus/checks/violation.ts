/** What a check reports: which property failed and a one-line why (with slots, heights, times). */
export type CheckName = 'safety' | 'liveness' | 'accountability' | 'guard' | 'entropy' | 'censorship' | 'expectation';

export interface Violation {
  readonly check: CheckName;
  readonly message: string;
}
