/**
 * `npm start` records where its endpoints are in `<data-dir>/stack.json`, so that other commands
 * (`polywire status`, `polywire dlq`, `polywire subscribe`) run in another terminal reach the
 * running local stack without flags.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const DEFAULT_DATA_DIR = '.polywire';

export const LocalStackInfoSchema = z.object({
  pid: z.number().int(),
  s3Endpoint: z.url(),
  dynamoEndpoint: z.url(),
  sqsEndpoint: z.url().optional(),
  siteUrl: z.url(),
  tableName: z.string(),
  buckets: z.object({ uploads: z.string(), distribution: z.string() }),
  /** Environment a client needs to reach the stack with the AWS SDK or CLI. */
  environment: z.record(z.string(), z.string()),
});
export type LocalStackInfo = z.infer<typeof LocalStackInfoSchema>;

export function stackFilePath(dataDir: string = DEFAULT_DATA_DIR): string {
  return join(dataDir, 'stack.json');
}

export function writeStackFile(dataDir: string, info: LocalStackInfo): void {
  writeFileSync(stackFilePath(dataDir), `${JSON.stringify(info, null, 2)}\n`);
}

export function removeStackFile(dataDir: string): void {
  rmSync(stackFilePath(dataDir), { force: true });
}

/** The running local stack, or undefined when none is recorded or its process is gone. */
export function readStackFile(dataDir: string = DEFAULT_DATA_DIR): LocalStackInfo | undefined {
  const file = stackFilePath(dataDir);
  if (!existsSync(file)) return undefined;
  const info = LocalStackInfoSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!info.success) return undefined;
  try {
    process.kill(info.data.pid, 0);
  } catch {
    return undefined;
  }
  return info.data;
}
