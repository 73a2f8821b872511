export interface OrthancServer {
  readonly url: string;
  readonly dicomWebUrl: string;
  readonly username: string;
  readonly password: string;
  readonly port: number;
  readonly storageDir: string;
  readonly pid: number | undefined;
  stop(): Promise<void>;
  destroy(): Promise<void>;
}
export function startOrthanc(options?: { port?: number; storageDir?: string; username?: string; password?: string; log?: boolean }): Promise<OrthancServer>;
export function e2ePacsInfoFile(port: string | number): string;
