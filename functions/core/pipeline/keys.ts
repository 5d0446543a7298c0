/**
 * The uploads bucket's layout. Only `incoming/` triggers the pipeline; everything the pipeline
 * writes goes elsewhere, so it can never trigger itself.
 */
import { INCOMING_PREFIX } from './s3-events';

export const objectKeys = {
  /** The parsed release of one version. */
  release: (releaseId: string, version: number): string => `releases/${releaseId}/v${version}.json`,
  /** A human translation supplied beside the release (its `ReleaseContent`). */
  translation: (releaseId: string, language: string): string => `releases/${releaseId}/translations/${language}.json`,
  /** Where a release's human translations are stored (one object per language). */
  translationsPrefix: (releaseId: string): string => `releases/${releaseId}/translations/`,
  /** One language variant of one version. */
  variant: (releaseId: string, version: number, language: string): string => `variants/${releaseId}/v${version}/${language}.json`,
  /** The project's do-not-translate glossary (optional). */
  glossary: (): string => 'config/glossary.yaml',
  /** Where a rejected upload is copied, and the error report beside it. */
  quarantine: (incomingKey: string): { copy: string; error: string } => {
    const rest = incomingKey.startsWith(INCOMING_PREFIX) ? incomingKey.slice(INCOMING_PREFIX.length) : incomingKey;
    return { copy: `quarantine/${rest}`, error: `quarantine/${rest}.error.json` };
  },
};
