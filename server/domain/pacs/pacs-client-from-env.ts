import { env } from '../../env';
import { AppError } from '../../errors';
import { NO_PACS_CONFIGURED } from './queue-pacs-retrieve';
import { createDicomWebClient, type DicomWebClient } from './dicomweb-client';

/** The configured PACS (SEGTRIAL_PACS_URL and credentials), or null when none is configured. */
export function pacsClientFromEnv(): DicomWebClient | null {
  const config = env();
  if (!config.SEGTRIAL_PACS_URL) return null;
  return createDicomWebClient({ url: config.SEGTRIAL_PACS_URL, username: config.SEGTRIAL_PACS_USERNAME, password: config.SEGTRIAL_PACS_PASSWORD, timeoutMs: config.SEGTRIAL_PACS_TIMEOUT_MS });
}

/** The configured PACS, or INVALID_STATE when none is (the page then offers uploads only). */
export function requirePacsClient(): DicomWebClient {
  const client = pacsClientFromEnv();
  if (!client) throw new AppError('INVALID_STATE', NO_PACS_CONFIGURED);
  return client;
}
