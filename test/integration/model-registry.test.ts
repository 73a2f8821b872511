import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, models, trials } from '../../db/schema';
import { createContentStore } from '../../imaging/storage/content-store';
import { SHIPPED_MODEL_DIR } from '../../models/registry/shipped-model';
import { loginUser } from '../../server/domain/auth/login-user';
import { registerShippedModel } from '../../server/domain/segmentation/register-shipped-model';
import { handleModelUpload } from '../../server/http/upload-model';
import { callerFor, type DemoUsers } from './support/callers';
import { DEMO_PASSWORD, seedDemoForTest } from './support/demo';
import { openTestDatabase, TEST_DRIVER } from './support/test-database';

const storageRoot = mkdtempSync(path.join(os.tmpdir(), 'segtrial-models-'));
process.env.SEGTRIAL_STORAGE_ROOT = storageRoot;
const store = createContentStore(storageRoot);
const shippedCard = JSON.parse(readFileSync(path.join(SHIPPED_MODEL_DIR, 'model-card.json'), 'utf8')) as Record<string, unknown> & { name: string; version: string; sha256: string };
const pointwise = path.join(import.meta.dirname, '../../models/runtime/fixtures/pointwise.onnx');

let handle: Awaited<ReturnType<typeof openTestDatabase>>;
let fixture: { trialId: string; users: DemoUsers };
let shippedId: string;
beforeAll(async () => {
  handle = await openTestDatabase();
  // As on first start: the shipped model is registered before the demo trial goes live.
  const first = await registerShippedModel({ db: handle.db, store });
  expect(first.created).toBe(true);
  shippedId = first.id;
  fixture = await seedDemoForTest(handle.db);
});
afterAll(() => handle.close());

async function cookieOf(username: string): Promise<string> {
  const { token } = await loginUser({ db: handle.db, username, password: DEMO_PASSWORD, sessionMaxMinutes: 60, request: { via: 'system' } });
  return `segtrial_session=${token}`;
}

async function upload(username: string, onnx: Uint8Array, card: unknown): Promise<Response> {
  const form = new FormData();
  form.set('onnx', new File([new Uint8Array(onnx)], 'model.onnx'));
  form.set('card', JSON.stringify(card));
  return handleModelUpload({
    db: handle.db,
    req: new Request('http://127.0.0.1:3000/api/models', { method: 'POST', headers: { cookie: await cookieOf(username), 'x-segtrial-request': '1', host: '127.0.0.1:3000' }, body: form }),
  });
}

const pointwiseCard = {
  name: 'site-pointwise',
  version: '1',
  input: { name: 'image', channels: ['t1', 't1gd', 't2', 'flair'], axisOrder: 'NCZYX', spacingMm: [1, 1, 1] },
  output: { name: 'logits', form: 'softmax' },
  inference: { patch: [16, 16, 16], step: 0.5 },
};

describe(`model registry (${TEST_DRIVER})`, () => {
  it('registers the shipped model once, as the default, with its card and hash', async () => {
    const again = await registerShippedModel({ db: handle.db, store });
    expect(again).toMatchObject({ id: shippedId, created: false });
    const [row] = await handle.db.select().from(models).where(eq(models.id, shippedId));
    expect(row).toMatchObject({ name: shippedCard.name, version: shippedCard.version, sha256: shippedCard.sha256, isDefault: true });
    expect(await store.has(shippedCard.sha256)).toBe(true);
  });

  it('pins the default model when a trial goes live, and audits the pin', async () => {
    const [trial] = await handle.db.select().from(trials).where(eq(trials.id, fixture.trialId));
    expect(trial?.pinnedModelId).toBe(shippedId);
    const pins = await handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.trialId, fixture.trialId), eq(auditLog.action, 'trial.model_pinned')));
    expect(pins).toHaveLength(1);
    expect(pins[0]?.after).toMatchObject({ modelId: shippedId, sha256: shippedCard.sha256 });
    const listed = await callerFor(handle.db, fixture.users.admin).admin.listModels();
    expect(listed.find((m) => m.id === shippedId)).toMatchObject({ isDefault: true, pinnedBy: ['demo'], channels: ['flair', 't1', 't1gd', 't2'] });
  });

  it('lets an admin register a model with another channel order; the default and the pin stay', async () => {
    const res = await upload('admin', readFileSync(pointwise), pointwiseCard);
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; created: boolean };
    expect(body.created).toBe(true);
    const [row] = await handle.db.select().from(models).where(eq(models.id, body.id));
    expect(row).toMatchObject({ isDefault: false });
    expect((row?.card as { input: { channels: string[] } }).input.channels).toEqual(['t1', 't1gd', 't2', 'flair']);
    const [trial] = await handle.db.select().from(trials).where(eq(trials.id, fixture.trialId));
    expect(trial?.pinnedModelId).toBe(shippedId);
  });

  it('refuses a declaration that does not match the graph, naming the field, and records nothing', async () => {
    const before = await handle.db.select().from(models);
    const wrongName = await upload('admin', readFileSync(pointwise), { ...pointwiseCard, version: '2', output: { name: 'probabilities', form: 'softmax' } });
    expect(wrongName.status).toBe(400);
    expect(await wrongName.json()).toMatchObject({ error: { code: 'INVALID_INPUT', field: 'output.name' } });
    const wrongForm = await upload('admin', readFileSync(pointwise), { ...pointwiseCard, version: '3', output: { name: 'logits', form: 'sigmoid-regions', regionOrder: ['TC', 'WT', 'ET'] } });
    expect(wrongForm.status).toBe(400);
    expect(await wrongForm.json()).toMatchObject({ error: { field: 'output shape' } });
    const twoChannels = await upload('admin', readFileSync(pointwise), { ...pointwiseCard, version: '4', input: { ...pointwiseCard.input, channels: ['t1', 't1'] } });
    expect(twoChannels.status).toBe(400);
    const notOnnx = await upload('admin', new TextEncoder().encode('this is not an onnx file'), { ...pointwiseCard, version: '5' });
    expect(notOnnx.status).toBe(400);
    expect(await notOnnx.json()).toMatchObject({ error: { field: 'onnx' } });
    const wrongHash = await upload('admin', readFileSync(pointwise), { ...pointwiseCard, version: '6', sha256: '0'.repeat(64) });
    expect(await wrongHash.json()).toMatchObject({ error: { field: 'sha256' } });
    expect(await handle.db.select().from(models)).toHaveLength(before.length);
  });

  it('refuses other roles and other weights under a registered version', async () => {
    expect((await upload('coordinator', readFileSync(pointwise), { ...pointwiseCard, version: '7' })).status).toBe(403);
    const clash = await upload('admin', readFileSync(pointwise), { ...pointwiseCard, name: shippedCard.name, version: shippedCard.version });
    expect(clash.status).toBe(409);
    await expect(callerFor(handle.db, fixture.users.statistician).admin.listModels()).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
