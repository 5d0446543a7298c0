/**
 * After each integration test file: every AWS SDK command a stage sent in it must be listed in
 * test/integration/sdk-commands.json, the evidence the IAM test checks against the CDK app's
 * grants (test/unit/infra/iam-evidence.test.ts). A new command fails here until it is listed,
 * and then there until the stage's function is granted it.
 */
import { afterAll } from 'vitest';
import { readEvidence, recordedEvidence, unlistedEntries } from '../support/sdk-commands';

afterAll(() => {
  const unlisted = unlistedEntries(recordedEvidence(), readEvidence());
  if (unlisted.length > 0) {
    throw new Error(`stages sent AWS SDK commands that test/integration/sdk-commands.json does not list; add them (the IAM test then checks that the stage's function is granted them):\n${unlisted.join('\n')}`);
  }
});
