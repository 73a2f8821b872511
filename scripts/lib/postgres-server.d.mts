export interface PostgresServer {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly binDir: string;
  start(): void;
  stop(options?: { immediate?: boolean }): void;
  destroy(): void;
}
export function startPostgres(options?: { port?: number }): Promise<PostgresServer>;
export function findPostgresBinDir(): string | null;
export function freePort(): Promise<number>;
