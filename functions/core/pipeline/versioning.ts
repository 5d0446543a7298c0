/**
 * Version assignment: the pure decision of what an upload means for a release that may already
 * have versions. The repository then makes it stick with a conditional write.
 */

export interface LatestVersion {
  version: number;
  sha256: string;
}

export type VersionDecision =
  /** New content: this becomes `version`. */
  | { kind: 'new'; version: number }
  /** The same bytes as the latest version: nothing new; re-drive that version. */
  | { kind: 'duplicate'; version: number }
  /** The upload declares a version the release already has (or passed): recorded, not published. */
  | { kind: 'stale'; declaredVersion: number; latestVersion: number };

/**
 * Decides the version of an upload.
 *
 * @param latest the release's latest version, if any
 * @param upload the upload's SHA-256 and, when the upload itself declares one, its version
 *
 * @example
 * decideVersion(undefined, { sha256: 'a' })                        // { kind: 'new', version: 1 }
 * decideVersion({ version: 1, sha256: 'a' }, { sha256: 'a' })      // { kind: 'duplicate', version: 1 }
 * decideVersion({ version: 1, sha256: 'a' }, { sha256: 'b' })      // { kind: 'new', version: 2 }
 * decideVersion({ version: 3, sha256: 'a' }, { sha256: 'b', declaredVersion: 2 }) // stale
 */
export function decideVersion(latest: LatestVersion | undefined, upload: { sha256: string; declaredVersion?: number }): VersionDecision {
  if (!latest) return { kind: 'new', version: 1 };
  if (latest.sha256 === upload.sha256) return { kind: 'duplicate', version: latest.version };
  if (upload.declaredVersion !== undefined && upload.declaredVersion <= latest.version) {
    return { kind: 'stale', declaredVersion: upload.declaredVersion, latestVersion: latest.version };
  }
  return { kind: 'new', version: latest.version + 1 };
}

/** Zero-padded version for sort keys, so that `V#0000000010` sorts after `V#0000000009`. */
export function padVersion(version: number): string {
  return String(version).padStart(10, '0');
}
