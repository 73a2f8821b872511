'use client';

export interface CriterionRow {
  id: string;
  text: string;
  kind: 'inclusion' | 'exclusion';
  waivable: boolean;
}

/**
 * The rows of an eligibility checklist being edited (id, text, inclusion or exclusion, waivable),
 * each removable, and a button to add one: the design editor's and the amendment form's checklist.
 */
export function EligibilityCriteriaRows({ criteria, onChange }: { criteria: readonly CriterionRow[]; onChange: (criteria: CriterionRow[]) => void }) {
  const update = (i: number, change: Partial<CriterionRow>) => onChange(criteria.map((x, j) => (j === i ? { ...x, ...change } : x)));
  return (
    <>
      {criteria.map((c, i) => (
        <div className="row" key={i}>
          <label className="narrow">
            Id
            <input aria-label={`Criterion ${i + 1} id`} value={c.id} onChange={(e) => update(i, { id: e.target.value })} required />
          </label>
          <label className="wide">
            Criterion
            <input aria-label={`Criterion ${i + 1} text`} value={c.text} onChange={(e) => update(i, { text: e.target.value })} required />
          </label>
          <label style={{ flex: '0 0 auto' }}>
            Kind
            <select style={{ width: 'auto' }} aria-label={`Criterion ${i + 1} kind`} value={c.kind} onChange={(e) => update(i, { kind: e.target.value as CriterionRow['kind'] })}>
              <option value="inclusion">inclusion (must be met)</option>
              <option value="exclusion">exclusion (must not apply)</option>
            </select>
          </label>
          <label
            style={{ flex: '0 0 auto', display: 'flex', gap: 4, alignItems: 'center', marginBottom: 12 }}
            title="The protocol allows an authorised person to waive this criterion with a signed, reasoned waiver"
          >
            <input type="checkbox" style={{ width: 'auto', margin: 0 }} aria-label={`Criterion ${i + 1} waivable`} checked={c.waivable} onChange={(e) => update(i, { waivable: e.target.checked })} />{' '}
            waivable
          </label>
          <button type="button" className="secondary small" onClick={() => onChange(criteria.filter((_, j) => j !== i))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" className="secondary small" onClick={() => onChange([...criteria, { id: `criterion_${criteria.length + 1}`, text: '', kind: 'inclusion', waivable: false }])}>
        Add a criterion
      </button>
    </>
  );
}
