import { describe, expect, it } from 'vitest';
import { suggestSeriesMapping, type SeriesSummary } from './suggest-series-mapping';

const base: SeriesSummary = {
  seriesInstanceUid: '',
  seriesNumber: 1,
  description: '',
  protocolName: '',
  modality: 'MR',
  instances: 150,
  sopClassUid: '1.2.840.10008.5.1.4.1.1.4',
  imageType: ['ORIGINAL', 'PRIMARY'],
  frames: 1,
  echoTime: null,
  repetitionTime: null,
  inversionTime: null,
  contrastAgent: '',
  scanningSequence: [],
};
const s = (uid: string, over: Partial<SeriesSummary>): SeriesSummary => ({ ...base, seriesInstanceUid: uid, ...over });

describe('suggestSeriesMapping', () => {
  it('maps by description and ignores localizers, derived and short series', () => {
    const m = suggestSeriesMapping([
      s('loc', { description: '3-plane loc', instances: 3, imageType: ['ORIGINAL', 'PRIMARY', 'LOCALIZER'] }),
      s('flair', { description: 'AX T2 FLAIR' }),
      s('t2', { description: 'Ax T2 TSE' }),
      s('t1', { description: 'SAG T1 MPRAGE' }),
      s('t1gd', { description: 'SAG T1 MPRAGE POST GD' }),
      s('adc', { description: 'ADC', imageType: ['DERIVED', 'PRIMARY'] }),
      s('short', { description: 'T1 cor', instances: 4 }),
      s('emr', { description: 'T1 3D enhanced', sopClassUid: '1.2.840.10008.5.1.4.1.1.4.1', instances: 1, frames: 176 }),
    ]);
    expect(Object.fromEntries(Object.entries(m.roles).map(([r, v]) => [r, v.seriesInstanceUid]))).toEqual({ flair: 'flair', t2: 't2', t1: 't1', t1gd: 't1gd' });
    expect(m.ignored.map((i) => [i.seriesInstanceUid, i.reason.split(' ')[0]])).toEqual([
      ['loc', 'localizer'],
      ['adc', 'derived'],
      ['short', '4'],
      ['emr', 'enhanced'],
    ]);
  });

  it('falls back to acquisition parameters when descriptions are vendor codes', () => {
    const m = suggestSeriesMapping([
      s('a', { description: 'ep2d_xyz', inversionTime: 2500, echoTime: 120, repetitionTime: 9000 }),
      s('b', { description: 'tse_tra_512', echoTime: 100, repetitionTime: 5000 }),
      s('c', { description: 'seq_3d_iso', echoTime: 3, repetitionTime: 2300, scanningSequence: ['GR', 'IR'], instances: 176 }),
      s('d', { description: 'seq_3d_iso', echoTime: 3, repetitionTime: 2300, scanningSequence: ['GR', 'IR'], contrastAgent: 'Gadobutrol', instances: 176 }),
    ]);
    expect(m.roles.flair?.seriesInstanceUid).toBe('a');
    expect(m.roles.t2?.seriesInstanceUid).toBe('b');
    expect(m.roles.t1?.seriesInstanceUid).toBe('c');
    expect(m.roles.t1gd?.seriesInstanceUid).toBe('d');
    expect(m.roles.t1gd?.reason).toContain('Gadobutrol');
  });

  it('prefers the series with more slices and leaves unknown roles empty', () => {
    const m = suggestSeriesMapping([s('thick', { description: 'AX T1 post', instances: 30 }), s('iso', { description: 'T1 3D +C', instances: 176 }), s('x', { description: 'mystery' })]);
    expect(m.roles.t1gd?.seriesInstanceUid).toBe('iso');
    expect(m.roles.flair).toBeUndefined();
    expect(m.classified.find((c) => c.seriesInstanceUid === 'x')?.role).toBeNull();
  });
});
