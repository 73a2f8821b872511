'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { trpc } from '../../_lib/trpc-client';
import { FormError, useSubmit } from '../../_lib/use-submit';
import { describeError } from './describe-error';

interface SiteRow {
  code: string;
  name: string;
  isExternal: boolean;
}

/** A new trial with its sites; the design is set on the trial's setup page afterwards. */
export function CreateTrialForm() {
  const router = useRouter();
  const [sites, setSites] = useState<SiteRow[]>([{ code: 'site-1', name: 'Site 1', isExternal: false }]);
  const { busy, error, onSubmit } = useSubmit(
    async (formEl) => {
      const form = new FormData(formEl);
      const created = await trpc.trials.create.mutate({ slug: String(form.get('slug')), name: String(form.get('name')), sites });
      router.push(`/coordinator/${created.id}/setup`);
    },
    undefined,
    { describe: describeError, leaves: true },
  );

  const setSite = (i: number, patch: Partial<SiteRow>) => setSites(sites.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  return (
    <section className="panel" aria-label="New trial">
      <h2>New trial</h2>
      <form onSubmit={onSubmit}>
        <div className="grid">
          <label>
            Name
            <input name="name" required minLength={3} maxLength={200} placeholder="AI-assisted glioma MRI review" />
          </label>
          <label>
            Short name (slug)
            <input name="slug" required pattern="[a-z0-9][a-z0-9\-]{2,40}" placeholder="glioma-ai-2027" />
          </label>
        </div>
        <fieldset>
          <legend>Sites</legend>
          {sites.map((s, i) => (
            <div className="row" key={i}>
              <label>
                Code
                <input aria-label={`Site ${i + 1} code`} value={s.code} onChange={(e) => setSite(i, { code: e.target.value })} required />
              </label>
              <label>
                Name
                <input aria-label={`Site ${i + 1} name`} value={s.name} onChange={(e) => setSite(i, { name: e.target.value })} required />
              </label>
              <label className="inline">
                <input type="checkbox" checked={s.isExternal} onChange={(e) => setSite(i, { isExternal: e.target.checked })} /> external validation site
              </label>
              {sites.length > 1 && (
                <button type="button" className="secondary" onClick={() => setSites(sites.filter((_, j) => j !== i))}>
                  Remove
                </button>
              )}
            </div>
          ))}
          <button type="button" className="secondary" onClick={() => setSites([...sites, { code: `site-${sites.length + 1}`, name: `Site ${sites.length + 1}`, isExternal: false }])}>
            Add a site
          </button>
        </fieldset>
        <FormError error={error} />
        <button type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create trial'}
        </button>
      </form>
    </section>
  );
}
