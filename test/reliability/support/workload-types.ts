/** The demo accounts the workload logs in as (all share the suite's demo password). */
export const WORKLOAD_USERS = ['coordinator', 'statistician', 'monitor', 'clinician', 'admin'] as const;

export interface RouteFigures {
  readonly count: number;
  /** HTTP status → responses. */
  readonly statuses: Readonly<Record<string, number>>;
  /** Milliseconds, from the request being built to its full response. */
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export interface WorkloadResult {
  readonly seconds: number;
  readonly connections: number;
  /** Per client group: connection errors (refused, reset) and timeouts, as autocannon counts them. */
  readonly groups: readonly { group: string; connections: number; errors: number; timeouts: number; requests: number }[];
  readonly routes: Readonly<Record<string, RouteFigures>>;
  /** The first responses with a 5xx status, with their bodies. */
  readonly serverErrors: readonly { route: string; status: number; body: string }[];
  /** Writes answered 200: participant ids enrolled, and participant ids randomized. */
  readonly acks: {
    readonly enrolled: readonly string[];
    readonly randomized: readonly string[];
    /** When each acknowledgment arrived (Date.now(), same index as the id): the backup test compares them with a snapshot's start. */
    readonly enrolledAt: readonly number[];
    readonly randomizedAt: readonly number[];
  };
}
