/**
 * `polywire review` on `polywire start`, with real clients: the AWS CLI uploads a release and a
 * human German translation with one changed figure; the German page never appears while the
 * other languages publish; `polywire review` lists the finding, `--approve` publishes it (once:
 * approving again changes nothing), and `--replace` uploads a corrected translation that replaces
 * the held one of a second release.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { paths } from '../../../functions/core/render/paths';
import type { LocalStackInfo } from '../../../infra/local/stack-file';
import { repo, spawnStart, until, waitForStack, killAndRemove, type StartedProcess } from '../../support/start-process';

const run = promisify(execFile);
const AWS = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';
const AWS_ENV = { ...process.env, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1', AWS_PAGER: '' };

const english = (id: string, figure: string) => `---\nid: ${id}\nlanguage: en\n---\n# Acme opens a plant in ${id}\n\nAcme Robotics opened a plant today that will employ ${figure} people from 2027.\n`;
const german = (id: string, figure: string) => `---\nid: ${id}\nlanguage: de\n---\n# Acme eröffnet ein Werk in ${id}\n\nAcme Robotics hat heute ein Werk eröffnet, das ab 2027 ${figure} Menschen beschäftigen wird.\n`;

describe('polywire review on the local stack, with real clients', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'polywire-e2e-review-'));
  const work = mkdtempSync(join(tmpdir(), 'polywire-e2e-review-files-'));
  let started: StartedProcess;
  let stack: LocalStackInfo;

  const get = async (path: string) => {
    const response = await fetch(new URL(path, stack.siteUrl).href);
    return response.ok ? response.text() : undefined;
  };
  const upload = async (name: string, body: string) => {
    const file = join(work, name);
    writeFileSync(file, body);
    await run(AWS, ['--endpoint-url', stack.s3Endpoint, 's3', 'cp', file, `s3://${stack.buckets.uploads}/incoming/${name}`], { env: AWS_ENV });
  };
  const polywire = (...args: string[]) => run(process.execPath, ['bin/polywire.mjs', ...args, '--data-dir', dataDir], { cwd: repo });
  const statusOf = async (id: string) => {
    const { stdout } = await polywire('status', id, '--json');
    const report = JSON.parse(stdout) as { versions: { languages: { language: string; status: string }[] }[] };
    return Object.fromEntries(report.versions.at(-1)!.languages.map((l) => [l.language, l.status]));
  };

  beforeAll(async () => {
    started = spawnStart(['--data-dir', dataDir, '--port', '0', '--no-seeds', '--languages', 'en,de,fr']);
    stack = await waitForStack(dataDir, started.child.pid, () => (started.child.exitCode !== null ? `polywire start exited early (${started.child.exitCode}):\n${started.output()}` : undefined));
  }, 90_000);

  afterAll(async () => {
    await killAndRemove(started, dataDir, work);
  });

  it('holds a human translation with a changed figure, lists it, and publishes it on --approve, once', async () => {
    const id = 'graz';
    await upload(`${id}.de.md`, german(id, '4.520'));
    await upload(`${id}.md`, english(id, '4,250'));
    await until('de held, en and fr published', async () => {
      const s = await statusOf(id).catch(() => undefined);
      return s?.de === 'held' && s.en === 'published' && s.fr === 'published' ? true : undefined;
    });
    expect(await get(paths.page('de', id))).toBeUndefined();
    // The English page may have been rendered while German was still on its way (pages list the
    // planned languages); the version's completion re-renders it without the held language.
    await until('en drops de from hreflang', async () => {
      const page = await get(paths.page('en', id));
      return page !== undefined && !page.includes('hreflang="de"') ? true : undefined;
    });

    const listing = (await polywire('review', id)).stdout;
    expect(listing).toContain('held for QA review: de');
    expect(listing).toContain('“4,250” became “4.520”');
    expect(listing).toContain(`polywire review ${id} de --approve`);

    const approved = await polywire('review', id, 'de', '--approve', '--by', 'desk');
    expect(approved.stdout).toContain(`approval of ${id} v1 de queued`);
    const page = await until('the German page', () => get(paths.page('de', id)));
    expect(page).toContain('4.520 Menschen');
    await until('en lists de in hreflang', async () => ((await get(paths.page('en', id)))?.includes('hreflang="de"') ? true : undefined));

    const again = await polywire('review', id, 'de', '--approve');
    expect(again.stdout).toContain('already published');
    const review = JSON.parse((await polywire('review', id, 'de', '--json')).stdout) as { languages: { status: string; review?: { approvedBy?: string } }[] };
    expect(review.languages[0]).toMatchObject({ status: 'published', review: { approvedBy: 'desk' } });
  }, 120_000);

  it('replaces a held translation with a corrected file (--replace); bad requests exit 2', async () => {
    const id = 'linz';
    await upload(`${id}.de.md`, german(id, '4.520'));
    await upload(`${id}.md`, english(id, '4,250'));
    await until('de held', async () => ((await statusOf(id).catch(() => undefined))?.de === 'held' ? true : undefined));

    const fixed = join(work, 'fixed.md');
    writeFileSync(fixed, german(id, '4.250'));
    const replaced = await polywire('review', id, 'de', '--replace', fixed);
    expect(replaced.stdout).toContain(`as incoming/${id}.de.md`);
    const page = await until('the corrected German page', () => get(paths.page('de', id)));
    expect(page).toContain('4.250 Menschen');
    expect((await statusOf(id)).de).toBe('published');

    for (const args of [
      ['review', id, '--approve'],
      ['review', id, 'es', '--approve'],
      ['review', 'no-such-release'],
    ]) {
      const failed = await polywire(...args).then(
        () => undefined,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failed?.code, args.join(' ')).toBe(2);
    }
  }, 120_000);
});
