'use client';
import { useState, type FormEvent } from 'react';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/routers/_app';
import { trpc } from '../../_lib/trpc-client';

type RegisteredModel = inferRouterOutputs<AppRouter>['admin']['listModels'][number];

const EXAMPLE_DECLARATION = JSON.stringify(
  {
    name: 'site-nnunet-brats',
    version: '1.0.0',
    input: { name: 'input', channels: ['t1', 't1gd', 't2', 'flair'], axisOrder: 'NCZYX', spacingMm: [1, 1, 1] },
    output: { name: 'output', form: 'sigmoid-regions', regionOrder: ['TC', 'WT', 'ET'] },
    inference: { patch: [128, 128, 128], step: 0.5 },
  },
  null,
  1,
);

/**
 * The model registry: registered versions, the default, the trials that pinned each; and the form
 * an admin uses to register another ONNX model by declaring its channel order, output form and
 * label mapping. The server checks the declaration against the graph and a test volume.
 */
export function ModelRegistry({ initial }: { initial: RegisteredModel[] }) {
  const [rows, setRows] = useState(initial);
  const [declaration, setDeclaration] = useState(EXAMPLE_DECLARATION);
  const [state, setState] = useState<{ kind: 'idle' | 'sending' } | { kind: 'done'; text: string } | { kind: 'refused'; text: string }>({ kind: 'idle' });

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    form.set('card', declaration);
    setState({ kind: 'sending' });
    try {
      const res = await fetch('/api/models', { method: 'POST', body: form, headers: { 'x-segtrial-request': '1' } });
      const body = (await res.json()) as { created?: boolean; name?: string; version?: string; error?: { message: string; field?: string } };
      if (!res.ok || body.error) {
        setState({ kind: 'refused', text: body.error?.message ?? `The server answered ${res.status}.` });
        return;
      }
      setState({ kind: 'done', text: body.created ? `Registered ${body.name}@${body.version}.` : `${body.name}@${body.version} was already registered with these weights.` });
      setRows(await trpc.admin.listModels.query());
    } catch (error) {
      setState({ kind: 'refused', text: error instanceof Error ? error.message : 'The upload failed.' });
    }
  }

  return (
    <section className="panel" aria-label="Model registry">
      <h2>Model registry</h2>
      <table>
        <thead>
          <tr>
            <th>Model</th>
            <th>Channels</th>
            <th>Output</th>
            <th>Spacing / patch</th>
            <th>SHA-256</th>
            <th>Pinned by</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((m) => (
            <tr key={m.id}>
              <td>
                {m.name}@{m.version} {m.isDefault ? <span className="badge ok">default</span> : null}
              </td>
              <td>{m.channels.join(', ')}</td>
              <td>{m.outputForm}</td>
              <td>
                {m.spacingMm.join('×')} mm / {m.patch.join('×')}
              </td>
              <td>
                <code title={m.sha256}>{m.sha256.slice(0, 12)}…</code>
              </td>
              <td>{m.pinnedBy.join(', ') || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form onSubmit={submit} aria-label="Register a model">
        <h3>Register another model</h3>
        <p className="muted">
          An ONNX export (e.g. from MONAI or nnU-Net) with its declaration: input channel order, output form (softmax over labels 0–3, or sigmoid regions with their order) and grid. The platform
          refuses a declaration that does not match the graph or fails on a test volume. Trials keep the version they pinned when they went live.
        </p>
        <label>
          ONNX file <input type="file" name="onnx" accept=".onnx" required />
        </label>
        <label>
          Declaration (JSON)
          <textarea name="declaration" rows={10} cols={80} value={declaration} onChange={(e) => setDeclaration(e.target.value)} spellCheck={false} />
        </label>
        <label>
          <input type="checkbox" name="makeDefault" value="true" /> make it the default for trials that go live from now on
        </label>
        <button type="submit" disabled={state.kind === 'sending'}>
          {state.kind === 'sending' ? 'Checking…' : 'Register model'}
        </button>
        {state.kind === 'done' ? <p role="status">{state.text}</p> : null}
        {state.kind === 'refused' ? (
          <p role="alert" className="error">
            Refused: {state.text}
          </p>
        ) : null}
      </form>
    </section>
  );
}
