/**
 * Creating the local stack's folders safely. Node 20's `mkdirSync(dir, { recursive: true })`
 * loops forever at 100% CPU under `/proc` (and similar pseudo file systems) instead of failing,
 * so folders are created one level at a time below their nearest existing ancestor, which is
 * checked first.
 */
import { accessSync, constants, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../../functions/core/errors';

/** How an error message names a folder: `data folder … choose another with --data-dir`. */
export interface FolderRole {
  name: string;
  flag: string;
}

export const DATA_FOLDER: FolderRole = { name: 'data folder', flag: '--data-dir' };

/**
 * Makes sure `dir` exists and is writable: walks up to the nearest existing ancestor, checks that
 * it is a writable folder, then creates each missing level (never recursively).
 *
 * @param dir the folder to create
 * @param userFolder the folder the user named (`--data-dir`), named in the error when `dir` is a
 *   subfolder of it; default: `dir`
 * @param role what the folder is and the flag that chooses it, for the error message
 * @throws ConfigError "data folder X is not writable (CODE): choose another with --data-dir"
 * @example
 * ensureWritableDir(join(dataDir, 's3'), dataDir);
 */
export function ensureWritableDir(dir: string, userFolder: string = dir, role: FolderRole = DATA_FOLDER): void {
  try {
    const target = resolve(dir);
    const missing: string[] = [];
    let existing = target;
    let stats: Stats | undefined;
    for (;;) {
      stats = statSync(existing, { throwIfNoEntry: false });
      if (stats) break;
      const parent = dirname(existing);
      if (parent === existing) throw errno('ENOENT', `no existing ancestor of ${target}`);
      missing.unshift(existing);
      existing = parent;
    }
    if (!stats.isDirectory()) throw errno('ENOTDIR', `${existing} is not a folder`);
    accessSync(existing, constants.W_OK);
    for (const level of missing) {
      try {
        mkdirSync(level);
      } catch (error) {
        // Another process (or a concurrent call) may create the same level at the same moment.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    if (missing.length > 0) accessSync(target, constants.W_OK);
  } catch (error) {
    throw new ConfigError(`${role.name} ${userFolder} is not writable (${(error as NodeJS.ErrnoException).code ?? String(error)}): choose another with ${role.flag}`, { cause: error });
  }
}

function errno(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

/**
 * Takes the data folder for this process: `<dataDir>/lock` holds the pid, created exclusively, so
 * two stacks never open the same DynamoDB store (the second would crash on "Database is closed").
 * A lock whose process is gone is stale and taken over. Returns the release function.
 *
 * @throws ConfigError "data folder X is in use by polywire (pid N): stop it or use another --data-dir"
 * @example
 * const unlock = lockDataDir(dataDir);
 * try { … } finally { unlock(); }
 */
/**
 * Throws the "in use" error when a live polywire holds the folder's lock, before anything else is
 * checked: a second `npm start` on the same folder must say that, not that its ports are busy
 * (they are, by the first one). `lockDataDir` still takes the lock, atomically.
 */
export function assertDataDirFree(dataDir: string): void {
  const holder = lockHolder(join(dataDir, 'lock'));
  if (holder !== undefined && holder !== process.pid && isAlive(holder)) {
    throw new ConfigError(`data folder ${dataDir} is in use by polywire (pid ${holder}): stop it or use another --data-dir`);
  }
}

export function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, 'lock');
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new ConfigError(`data folder ${dataDir} is not writable (${(error as NodeJS.ErrnoException).code ?? String(error)}): choose another with --data-dir`, { cause: error });
      }
      const holder = lockHolder(file);
      if (holder !== undefined && isAlive(holder)) {
        throw new ConfigError(`data folder ${dataDir} is in use by polywire (pid ${holder}): stop it or use another --data-dir`);
      }
      // Stale (its process is gone) or half-written: take it over, once; a second loss means a race with another start.
      if (attempt > 0) throw new ConfigError(`data folder ${dataDir} is in use by polywire (another start took it just now): stop it or use another --data-dir`);
      rmSync(file, { force: true });
    }
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (lockHolder(file) === process.pid) rmSync(file, { force: true });
  };
}

function lockHolder(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
