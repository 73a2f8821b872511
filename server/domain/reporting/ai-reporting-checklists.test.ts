import { describe, expect, it } from 'vitest';
import { aiReportingChecklists, checklistCsv, type AiReportingFacts } from './ai-reporting-checklists';

const facts = (over: Partial<AiReportingFacts> = {}): AiReportingFacts => ({
  report: {
    trial: { id: 't', slug: 'demo', name: 'Demo', status: 'live' },
    arms: [
      { key: 'ai', label: 'AI-assisted' },
      { key: 'control', label: 'Control' },
    ],
    counts: { randomized: 10, withPrimaryOutcome: 8, modelScored: 6, withReferenceSegmentation: 2, decisions: 4, simulatedReads: 0 },
    model: {
      id: 'm',
      name: 'segtrial-unet3d',
      version: '0.2.0',
      sha256: 'ab'.repeat(32),
      pinned: true,
      registeredAt: '2026-01-01',
      card: { intendedUse: 'Research only.', description: 'Glioma segmentation' },
    },
    modelSubgroups: [],
  },
  design: null,
  uploads: { rejected: 2, total: 9 },
  aiActions: { accepted: 3, edited: 1, rejected: 0 },
  analysisPlan: { version: 1, contentSha256: 'cd'.repeat(32) },
  ...over,
});

describe('CONSORT-AI and SPIRIT-AI checklists', () => {
  it('fills items from the records, names each source, and marks what the platform does not know as missing', () => {
    const { consortAi, spiritAi } = aiReportingChecklists(facts());
    expect(consortAi.map((i) => i.item)).toContain('5 (iii)');
    expect(consortAi).toHaveLength(14);
    expect(spiritAi).toHaveLength(15);
    const byItem = new Map(consortAi.map((i) => [i.item, i]));
    expect(byItem.get('5 (i)')?.answer).toBe('segtrial-unet3d 0.2.0 (pinned at go-live)');
    expect(byItem.get('5 (iii)')?.answer).toContain('2 of 9 uploads refused');
    expect(byItem.get('5 (iv)')?.answer).toContain('3 accepted, 1 edited, 0 rejected');
    // No eligibility in the design, no access statement: missing, with the reason as the source.
    expect(byItem.get('4a (i)')).toMatchObject({ answer: null, source: 'trial design has no eligibility criteria' });
    expect(byItem.get('25')?.answer).toBeNull();
    expect(spiritAi.find((i) => i.item === '20a')?.answer).toContain('version 1');
  });

  it('says the model is missing when the trial has none', () => {
    const { consortAi } = aiReportingChecklists(facts({ report: { ...facts().report, model: null } }));
    expect(consortAi.find((i) => i.item === '5 (i)')).toMatchObject({ answer: null, source: 'no model registered for the trial' });
  });

  it('writes CSV with quoted fields and a status column', () => {
    const csv = checklistCsv([{ item: '1', section: 'S', text: 'Say "x", y', answer: null, source: 'none' }]);
    expect(csv).toBe('item,section,text,answer,source,status\r\n"1","S","Say ""x"", y","","none","missing"\r\n');
  });
});
