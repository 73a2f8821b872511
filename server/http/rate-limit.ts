import { env } from '../env';

export type RateDecision = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number };

export interface RateLimiter {
  /** Takes one request for `key`; refused while the key has used up its allowance. */
  take(key: string, nowMs?: number): RateDecision;
}

/**
 * A token bucket per key, in this process's memory: `perMinute` requests at once, refilled evenly
 * over a minute. `perMinute` 0 disables it. Memory stays bounded: past 10,000 keys, the buckets
 * that have refilled completely (idle keys) are dropped.
 */
export function createRateLimiter({ perMinute }: { perMinute: number }): RateLimiter {
  const buckets = new Map<string, { tokens: number; atMs: number }>();
  const refillPerMs = perMinute / 60_000;
  return {
    take(key, nowMs = Date.now()) {
      if (perMinute <= 0) return { ok: true };
      if (buckets.size > 10_000) {
        for (const [k, b] of buckets) if (b.tokens + (nowMs - b.atMs) * refillPerMs >= perMinute) buckets.delete(k);
      }
      const bucket = buckets.get(key) ?? { tokens: perMinute, atMs: nowMs };
      const tokens = Math.min(perMinute, bucket.tokens + (nowMs - bucket.atMs) * refillPerMs);
      if (tokens < 1) {
        buckets.set(key, { tokens, atMs: nowMs });
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / refillPerMs / 1000)) };
      }
      buckets.set(key, { tokens: tokens - 1, atMs: nowMs });
      return { ok: true };
    },
  };
}

const globalKey = Symbol.for('segtrial.rateLimiters');
type GlobalWithLimiters = typeof globalThis & { [globalKey]?: { login: RateLimiter; upload: RateLimiter } };

/**
 * The process's limiters, configured from the environment: logins per client address
 * (SEGTRIAL_LOGIN_RATE_PER_MINUTE) and study uploads per user (SEGTRIAL_UPLOAD_RATE_PER_MINUTE).
 * On globalThis because Next.js may load this module more than once.
 */
export function rateLimiters(): { login: RateLimiter; upload: RateLimiter } {
  const g = globalThis as GlobalWithLimiters;
  g[globalKey] ??= {
    login: createRateLimiter({ perMinute: env().SEGTRIAL_LOGIN_RATE_PER_MINUTE }),
    upload: createRateLimiter({ perMinute: env().SEGTRIAL_UPLOAD_RATE_PER_MINUTE }),
  };
  return g[globalKey];
}
