// Compiled (never run) by types.test.js with tsc --strict: the declarations
// accept what the README shows and refuse misuse (@ts-expect-error lines
// fail the compile if the mistake were accepted).
import * as quire from '../..';
import { readFileSync } from 'node:fs';

async function main(): Promise<void> {
  const v: string = quire.version();
  const has: boolean = quire.features().has('cairo');
  const doc: quire.Document = await quire.parse(readFileSync('r.json'), { strict: false, source: 'r.json' });
  const doc2 = quire.parseSync('{}');
  const doc3 = await quire.parseFile('r.json');
  const title: string = doc.title;
  const id: string | null = doc.id;
  const renderer = new quire.Renderer({ template: 'sales_playbook', engine: 'haru', paper: 'letter', dpi: 150, width: 72, color: '256' });
  const pdf: Buffer = await renderer.render(doc, 'pdf');
  const png: Buffer = await renderer.render(doc2, 'png', { page: 2 });
  const pages: Buffer[] = await renderer.renderPages(doc3, 1, 2);
  const n: number = await renderer.pageCount(doc);
  await renderer.renderTo('out.pdf', doc);
  const text: Buffer = quire.renderSync('{}', 'text', { width: 40 });
  const result: quire.Validation = await quire.validate('{}', { strict: true });
  for (const p of result.problems) {
    const where: string | null = p.path;
    const line: number | null = p.line;
    void where, line;
  }
  try {
    await quire.parse('{');
  } catch (e) {
    if (e instanceof quire.JSONSyntaxError) {
      const l: number = e.line;
      const c: quire.ErrorCodeName = e.code;
      void l, c;
    }
  }
  const client = new quire.Client({ apiKey: 'k', baseUrl: 'http://127.0.0.1:1', timeout: 30 });
  const job: quire.Job = await client.createJob({ mediaId: 'm', template: 'general_report', target: { strategy: 'timerange', start: 1, end: 2 } });
  const done = await client.waitJob(job.id ?? '', { timeout: 60, progress: (j) => void j.status });
  const ac = new AbortController();
  await client.waitReport(job.id ?? '', {
    signal: ac.signal,
    onEvent: (e: quire.JobEvent) => void [e.type, e.id, e.data.length, e.job?.status],
  }).catch((e: unknown) => void (e instanceof quire.AbortedError));
  const every: quire.Page<quire.MediaFile> = await client.listAllFiles({ limit: 10 });
  void every.items.length;
  void (await client.listAllEntities()).hasMore;
  const raw: Buffer = await client.getJobReport(done);
  const fetched: quire.Document = await client.fetchReport('rep_1');
  await client.createMatchingJob({ target: { entityId: 'e' }, group: [{ mediaId: 'm', target: { strategy: 'speaker_index', speakerIndex: 1 } }] });
  const media: quire.MediaFile = await client.upload({ path: 'call.mp3', label: 'Q1', progress: (sent, total) => void (sent + (total ?? 0)) });
  const media2: quire.MediaFile = await client.upload('call.mp3');
  const job2 = await client.createJob({ file: 'call.mp3', template: 'general_report', webhookUrl: 'https://h', webhookHeaders: { Authorization: 'Bearer t' } });
  await client.createJob({ url: 'https://example.com/a.mp3', template: 'general_report', webhookHeaders: [['X-A', '1'], 'X-B: 2'] });
  const up: quire.MediaFile | null | undefined = job2.uploaded;
  const files: quire.Page<quire.MediaFile> = await client.listFiles({ limit: 10, includeDeleted: true });
  for (const f of files) void f.mediaId;
  const next: string | null = files.nextCursor;
  const ents = await client.listEntities({ cursor: next });
  const ent: quire.Entity = ents.items[0];
  await client.setEntityLabel(ent.id ?? '', null);
  await client.setFileRetention(media.mediaId ?? '', true);
  const comps: quire.Component[] = quire.buildInfo({ load: true });
  const running: string | null = comps[0].running;
  void media2, up, running;
  // @ts-expect-error: a media id and a file at once
  await client.createJob({ mediaId: 'm', file: 'call.mp3', template: 'general_report' });
  // @ts-expect-error: retention takes a boolean
  await client.setFileRetention('m', 'yes');
  const ev: quire.WebhookEvent = quire.verifyWebhook({ headers: { 'conduit-signature': 't=1,v1=00' }, body: Buffer.from('{}'), secret: 's' });
  const rid: string | null = ev.reportId;
  void v, has, title, id, pdf, png, pages, n, text, raw, fetched, rid;

  // @ts-expect-error: not a format
  await renderer.render(doc, 'docx');
  // @ts-expect-error: engine names are fixed
  new quire.Renderer({ engine: 'ghostscript' });
  // @ts-expect-error: the key is required
  new quire.Client({ baseUrl: 'http://127.0.0.1:1' });
  // @ts-expect-error: the title is never null
  const t: null = doc.title;
  void t;
}
void main;
