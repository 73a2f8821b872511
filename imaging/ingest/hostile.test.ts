/**
 * The hostile-input corpus (test/support/hostile-inputs.ts): every malformed or malicious file must be
 * refused with an IngestError of the expected code naming the file, the field, what was found and what
 * was expected, with less than 100 MB of resident-memory growth (a bomb is refused before it is
 * inflated). The CPU each refusal costs is measured by bench/ingest/hostile.ts, not asserted here:
 * a unit test does not time things on a shared machine.
 */
import { describe, expect, it } from 'vitest';
import { hostileCases, runHostileCase } from '../../test/support/hostile-inputs';
import { IngestError } from './errors';

describe('hostile and malformed inputs are refused with a typed error', () => {
  it(`has at least 30 cases (${hostileCases.length})`, () => expect(hostileCases.length).toBeGreaterThanOrEqual(30));

  for (const c of hostileCases) {
    it(c.name, async () => {
      const input = c.input();
      global.gc?.();
      const rss0 = process.memoryUsage().rss;
      let peak = rss0;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
      let error: unknown;
      try {
        error = await runHostileCase(c, input);
      } finally {
        clearInterval(sampler);
      }
      peak = Math.max(peak, process.memoryUsage().rss);
      expect(error, `${c.name} was accepted`).toBeInstanceOf(IngestError);
      const e = error as IngestError;
      expect({ code: e.code, field: e.field }).toMatchObject({ code: c.code, field: expect.stringMatching(c.field) });
      expect(e.message).toContain(e.file);
      expect(e.message).toContain(String(e.found));
      expect(e.message).toContain(e.expected);
      expect((peak - rss0) / 2 ** 20, `${c.name} grew RSS`).toBeLessThan(100);
    });
  }
});
