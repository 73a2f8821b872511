/**
 * A DICOMweb client (PS3.18: QIDO-RS search, WADO-RS retrieve and metadata, STOW-RS store) over
 * Node's fetch. Written here rather than taken from `dicomweb-client` (the OHIF/DCMJS one): that
 * library is built on XMLHttpRequest, which Node does not have, and it buffers each response whole,
 * where a retrieve must stream a series of any size to disk part by part (./read-multipart.ts).
 *
 * Every failure to reach the PACS — refused connection, DNS, TLS, a timeout, a 5xx — becomes one
 * PacsUnavailableError, which the callers turn into a typed 503 (PACS_UNAVAILABLE). `timeoutMs`
 * bounds the wait for the answer's headers and then each gap between body chunks, so a slow but
 * moving transfer continues and a stalled one stops.
 */
import { readMultipart } from './read-multipart';

export type DicomJson = Record<string, { vr: string; Value?: unknown[] }>;

export class PacsUnavailableError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`The PACS did not answer (${reason}).`);
    this.name = 'PacsUnavailableError';
  }
}

/** The PACS answered, but not with what was asked (4xx): a request the platform should not have made. */
export class PacsRequestError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`The PACS refused the request (HTTP ${status}).`);
    this.name = 'PacsRequestError';
  }
}

export interface DicomWebConfig {
  /** The DICOMweb root, e.g. https://pacs.example/dicom-web (no trailing slash needed). */
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  readonly timeoutMs?: number;
}

export interface DicomWebClient {
  readonly url: string;
  searchStudies(query: Record<string, string>): Promise<DicomJson[]>;
  searchSeries(studyUid: string, query?: Record<string, string>): Promise<DicomJson[]>;
  searchInstances(studyUid: string, seriesUid: string, query?: Record<string, string>): Promise<DicomJson[]>;
  /** WADO-RS metadata of a series (every instance's attributes, no pixel data). */
  seriesMetadata(studyUid: string, seriesUid: string): Promise<DicomJson[]>;
  instanceMetadata(studyUid: string, seriesUid: string, instanceUid: string): Promise<DicomJson[]>;
  /** WADO-RS retrieve of a series as Part 10 instances, each handed over as soon as it has arrived. */
  retrieveSeries(studyUid: string, seriesUid: string, onInstance: (bytes: Uint8Array) => Promise<void> | void, onBytes?: (n: number) => void): Promise<number>;
  /** STOW-RS: store Part 10 instances; resolves to the stored SOP Instance UIDs as the PACS reports them. */
  store(instances: readonly Uint8Array[]): Promise<void>;
}

/** A DICOM JSON attribute's first value as text (PN: its alphabetic form). */
export function firstValue(dataset: DicomJson, tag: string): string {
  const v = dataset[tag]?.Value?.[0];
  if (v === undefined || v === null) return '';
  if (typeof v === 'object' && 'Alphabetic' in v) return String((v as { Alphabetic?: string }).Alphabetic ?? '');
  return String(v);
}

export function allValues(dataset: DicomJson, tag: string): string[] {
  return (dataset[tag]?.Value ?? []).map((v) => String(v));
}

export function createDicomWebClient(config: DicomWebConfig): DicomWebClient {
  const root = config.url.replace(/\/+$/, '');
  const timeoutMs = config.timeoutMs ?? 15_000;
  const auth: Record<string, string> = config.username ? { authorization: `Basic ${Buffer.from(`${config.username}:${config.password ?? ''}`).toString('base64')}` } : {};

  async function request(path: string, init: { method?: string; accept: string; body?: Uint8Array; contentType?: string }): Promise<Response> {
    const url = `${root}${path}`;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let res: Response;
    try {
      res = await fetch(url, {
        method: init.method ?? 'GET',
        headers: { accept: init.accept, ...auth, ...(init.contentType ? { 'content-type': init.contentType } : {}) } as Record<string, string>,
        ...(init.body ? { body: init.body as unknown as BodyInit } : {}),
        signal: controller.signal,
      });
    } catch (e) {
      throw new PacsUnavailableError(
        url,
        controller.signal.aborted ? `no answer within ${timeoutMs} ms` : ((e as { cause?: { code?: string } }).cause?.code ?? (e instanceof Error ? e.message : String(e))),
      );
    } finally {
      clearTimeout(timer);
    }
    if (res.status >= 500) {
      await res.body?.cancel().catch(() => undefined);
      throw new PacsUnavailableError(url, `HTTP ${res.status}`);
    }
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel().catch(() => undefined);
      throw new PacsUnavailableError(url, `HTTP ${res.status}: the PACS credentials were refused`);
    }
    if (res.status >= 400) throw new PacsRequestError(url, res.status, (await res.text()).slice(0, 500));
    return res;
  }

  /** The body as a stream whose every read must arrive within timeoutMs. */
  function guarded(res: Response, url: string): ReadableStream<Uint8Array> {
    const reader = res.body!.getReader();
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        let timer: NodeJS.Timeout | undefined;
        const stalled = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new PacsUnavailableError(url, `no data for ${timeoutMs} ms during the transfer`)), timeoutMs);
        });
        try {
          const { value, done } = await Promise.race([reader.read(), stalled]);
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (e) {
          await reader.cancel().catch(() => undefined);
          controller.error(e instanceof PacsUnavailableError ? e : new PacsUnavailableError(url, e instanceof Error ? e.message : String(e)));
        } finally {
          clearTimeout(timer);
        }
      },
      cancel: () => reader.cancel(),
    });
  }

  async function json(path: string): Promise<DicomJson[]> {
    const res = await request(path, { accept: 'application/dicom+json' });
    if (res.status === 204) return [];
    try {
      const text = await res.text();
      return text.trim() ? (JSON.parse(text) as DicomJson[]) : [];
    } catch (e) {
      throw new PacsUnavailableError(`${root}${path}`, `unreadable answer: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const qs = (query: Record<string, string> = {}) => {
    const p = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== ''));
    return p.size ? `?${p}` : '';
  };
  const enc = encodeURIComponent;

  return {
    url: root,
    searchStudies: (query) => json(`/studies${qs(query)}`),
    searchSeries: (study, query) => json(`/studies/${enc(study)}/series${qs(query)}`),
    searchInstances: (study, series, query) => json(`/studies/${enc(study)}/series/${enc(series)}/instances${qs(query)}`),
    seriesMetadata: (study, series) => json(`/studies/${enc(study)}/series/${enc(series)}/metadata`),
    instanceMetadata: (study, series, instance) => json(`/studies/${enc(study)}/series/${enc(series)}/instances/${enc(instance)}/metadata`),
    async retrieveSeries(study, series, onInstance, onBytes) {
      const path = `/studies/${enc(study)}/series/${enc(series)}`;
      const res = await request(path, { accept: 'multipart/related; type="application/dicom"; transfer-syntax=*' });
      const type = res.headers.get('content-type') ?? '';
      const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
      if (!boundary) throw new PacsUnavailableError(`${root}${path}`, `answer is ${type || 'untyped'}, not multipart/related`);
      try {
        return await readMultipart(guarded(res, `${root}${path}`), boundary, onInstance, onBytes);
      } catch (e) {
        if (e instanceof PacsUnavailableError) throw e;
        throw new PacsUnavailableError(`${root}${path}`, e instanceof Error ? e.message : String(e));
      }
    },
    async store(instances) {
      const boundary = `segtrial-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
      const chunks: Buffer[] = [];
      for (const bytes of instances) {
        chunks.push(Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), Buffer.from(bytes), Buffer.from('\r\n'));
      }
      chunks.push(Buffer.from(`--${boundary}--\r\n`));
      const res = await request('/studies', {
        method: 'POST',
        accept: 'application/dicom+json',
        contentType: `multipart/related; type="application/dicom"; boundary=${boundary}`,
        body: new Uint8Array(Buffer.concat(chunks)),
      });
      const answer = (await res.text()).trim();
      if (!answer) return;
      const parsed = JSON.parse(answer) as DicomJson;
      // 00081198 FailedSOPSequence: any entry means the PACS refused that instance.
      const failed = parsed['00081198']?.Value ?? [];
      if (failed.length > 0) throw new PacsRequestError(`${root}/studies`, res.status, `${failed.length} instance(s) refused: ${JSON.stringify(failed).slice(0, 300)}`);
    },
  };
}
