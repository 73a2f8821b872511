/**
 * Review cases for the browser tests and bench/viewer, made through the running app's own HTTP API
 * (no database access from outside the server): the statistician's participant list says which
 * randomized demo patients are in which arm, the coordinator uploads a tiny synthetic four-sequence
 * study for each (POST /api/studies: the real ingest and registration), and the app's in-process
 * worker runs the shipped ONNX model on it; we wait until the clinician's case shows its AI result.
 */
import { generateSubject, type CohortSize } from '../../imaging/cohort/generate-subject';
import { encodeNifti } from '../../imaging/nifti/write-nifti';

export interface PreparedCase {
  readonly caseId: string;
  readonly participantCode: string;
  readonly site: string;
  readonly arm: string;
}

type Json = Record<string, unknown>;

/**
 * fetch, retried once when the connection fails before any response: Node's client reuses idle
 * keep-alive sockets that the server may already have closed (subject generation takes seconds).
 */
async function send(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    return fetch(url, init);
  }
}

export async function login(baseUrl: string, username: string, password: string): Promise<string> {
  const res = await send(`${baseUrl}/api/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-segtrial-request': '1', origin: baseUrl },
    body: JSON.stringify({ json: { username, password } }),
  });
  const cookie = res.headers.get('set-cookie');
  if (!res.ok || !cookie) throw new Error(`login as ${username} failed: ${res.status} ${await res.text()}`);
  return cookie.split(';')[0]!;
}

export async function trpcQuery<T>(baseUrl: string, cookie: string, procedure: string, input?: unknown): Promise<T> {
  const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  const res = await send(`${baseUrl}/api/trpc/${procedure}${query}`, { headers: { cookie } });
  const body = (await res.json()) as { result?: { data: { json: T } }; error?: Json };
  if (!res.ok || !body.result) throw new Error(`${procedure}: ${res.status} ${JSON.stringify(body.error)}`);
  return body.result.data.json;
}

export async function subjectFiles(index: number, size: CohortSize): Promise<Record<string, Uint8Array>> {
  const subject = await generateSubject({ seed: 'e2e-review', index, site: 'site-a', size });
  return Object.fromEntries((['flair', 't1', 't1gd', 't2'] as const).map((role) => [role, encodeNifti(subject.images[role], { datatype: 'int16' })]));
}

/**
 * Uploads a study (POST /api/studies answers 202 once the files are spooled; ingest is a job) and
 * waits until the ingest job has recorded it, as the coordinator's page does: the participant's
 * studies list it, or its upload shows the refusal.
 */
export async function uploadStudy(baseUrl: string, cookie: string, trialId: string, participantId: string, files: Record<string, Uint8Array>, timeoutMs: number): Promise<string> {
  const form = new FormData();
  form.set('trialId', trialId);
  form.set('participantId', participantId);
  for (const [role, bytes] of Object.entries(files)) form.set(role, new File([new Uint8Array(bytes)], `${role}.nii`));
  const res = await send(`${baseUrl}/api/studies`, { method: 'POST', headers: { cookie, 'x-segtrial-request': '1', origin: baseUrl }, body: form });
  const body = (await res.json()) as { uploadId?: string; error?: Json };
  if (res.status !== 202 || !body.uploadId) throw new Error(`upload failed: ${res.status} ${JSON.stringify(body.error)}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const studies = await trpcQuery<{ id: string }[]>(baseUrl, cookie, 'studies.listForParticipant', { trialId, participantId });
    if (studies[0]) return studies[0].id;
    const uploads = await trpcQuery<{ id?: string; uploadId?: string; status: string; rejection?: unknown }[]>(baseUrl, cookie, 'studies.uploadsForParticipant', { trialId, participantId });
    const refused = uploads.find((u) => u.status === 'rejected');
    if (refused) throw new Error(`ingest refused the upload: ${JSON.stringify(refused)}`);
    if (Date.now() > deadline) throw new Error(`the upload was not ingested within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/**
 * The generator's subjects for the three cases, in the order assisted, control, other site. Fixed, so
 * every run shows the same images: the assisted one (index 5, 2 mm) is one on which the shipped model
 * finds all three labels, large (about 151, 40 and 39 mL), so the overlay assertions measure the viewer,
 * not whichever tumour a run happened to draw (a random subject with a 2 mL lesion failed them).
 */
const REVIEW_SUBJECTS = [5, 6, 7] as const;

/**
 * One assisted and one control case at site-a (clinician) and one control case at site-b
 * (clinician-b), each with a freshly uploaded study (`sizes` of the synthetic subjects, in that order:
 * 'small' is 2 mm, 'tiny' 4 mm and quicker to ingest); the assisted one waits for its AI segmentation
 * (up to `timeoutMs`). Only the assisted case runs inference, so none is still running when the tests start.
 */
export async function prepareReviewCases(
  baseUrl: string,
  password: string,
  { timeoutMs = 240_000, sizes = ['small', 'tiny', 'tiny'] }: { timeoutMs?: number; sizes?: readonly [CohortSize, CohortSize, CohortSize] } = {},
): Promise<{ assisted: PreparedCase; control: PreparedCase; otherSite: PreparedCase }> {
  // Subjects first: generating them takes seconds, longer than the server keeps an idle connection.
  const files = await Promise.all(REVIEW_SUBJECTS.map((index, i) => subjectFiles(index, sizes[i]!)));
  const statistician = await login(baseUrl, 'statistician', password);
  const coordinator = await login(baseUrl, 'coordinator', password);
  const clinician = await login(baseUrl, 'clinician', password);
  const trials = await trpcQuery<{ id: string; slug: string }[]>(baseUrl, statistician, 'trials.list');
  const trial = trials.find((t) => t.slug === 'demo');
  if (!trial) throw new Error('demo trial missing');
  const participants = await trpcQuery<{ id: string; studyId: string; site: string; arm: string | null; randomized: boolean }[]>(baseUrl, statistician, 'participants.list', { trialId: trial.id });
  const worklist = await trpcQuery<{ participantCode: string }[]>(baseUrl, clinician, 'review.worklist', {});
  const withStudy = new Set(worklist.map((w) => w.participantCode));
  const pick = (site: string, arm?: string) => {
    const p = participants.find((x) => x.randomized && x.site === site && (arm === undefined || x.arm === arm) && !withStudy.has(x.studyId));
    if (!p) throw new Error(`no randomized participant without a study at ${site}${arm ? ` in ${arm}` : ''}`);
    withStudy.add(p.studyId);
    return p;
  };
  const chosen = { assisted: pick('site-a', 'ai_assisted'), control: pick('site-a', 'control'), otherSite: pick('site-b', 'control') };
  const cases = {} as Record<keyof typeof chosen, PreparedCase>;
  for (const [i, [key, p]] of (Object.entries(chosen) as [keyof typeof chosen, (typeof chosen)['assisted']][]).entries()) {
    const caseId = await uploadStudy(baseUrl, coordinator, trial.id, p.id, files[i]!, timeoutMs);
    cases[key] = { caseId, participantCode: p.studyId, site: p.site, arm: p.arm ?? '' };
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await trpcQuery<{ aiAssistance: string }>(baseUrl, clinician, 'review.case', { caseId: cases.assisted.caseId });
    if (view.aiAssistance === 'available') break;
    if (Date.now() > deadline) throw new Error(`the assisted case's AI segmentation was not ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  return cases;
}
