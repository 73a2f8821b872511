import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from './main';

const commands = readdirSync(path.join(import.meta.dirname, 'commands'))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => f.slice(0, -3));

let out: string[];
let err: string[];
beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
});
afterEach(() => vi.restoreAllMocks());

describe('segtrial command line', () => {
  it.each(commands)('%s --help prints its usage and exits 0, also after a subcommand', async (name) => {
    expect(await main([name, '--help'])).toBe(0);
    expect(out.join('\n')).toMatch(new RegExp(`usage: segtrial ${name}`, 'i'));
    expect(await main([name, 'anything', '--help'])).toBe(0);
  });

  it('answers an unknown option with the usage and exit 2, not a stack trace', async () => {
    expect(await main(['cohort', 'generate', '--count', '2'])).toBe(2);
    expect(err.join('\n')).toContain("Unknown option '--count'");
    expect(err.join('\n')).toMatch(/usage: segtrial cohort/);
  });

  it.each([
    ['dca', '--bogus'],
    ['compare-arms', '--n-a', '3'],
    ['survival', '--data', 'x.csv'],
    ['gsd', 'design', '--alpha', '0.025'],
  ])('prints a usage error once, followed by the usage once: %s %s', async (...argv) => {
    expect(await main(argv)).toBe(2);
    const text = err.join('\n');
    expect(text.split('\n')[0]).toMatch(new RegExp(`^segtrial ${argv[0]}: (Unknown option|--)`));
    expect(text.match(/usage: segtrial/gi)).toHaveLength(1);
  });

  it('answers a folder where a file was expected with the usage and exit 2', async () => {
    const dir = os.tmpdir();
    // (A sequence flag may name a DICOM series folder; --image may not.)
    expect(await main(['segment', '--image', dir, '--out', path.join(dir, 'x.nii.gz')])).toBe(2);
    expect(err.join('\n')).toContain('is a folder where a file was expected');
    expect(err.join('\n')).toMatch(/usage: segtrial segment/);
  });

  it('lists the commands with --help and refuses an unknown command with exit 2', async () => {
    expect(await main(['--help'])).toBe(0);
    expect(out.join('\n')).toContain('Commands:');
    expect(await main(['no-such-command'])).toBe(2);
  });
});
