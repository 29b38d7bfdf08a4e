import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startEmbeddedDatabase } from '../../server/db/embedded.ts';

it('a second Takt on the same data folder refuses to start instead of taking the database away', async () => {
  const root = await mkdtemp(join(tmpdir(), 'takt-lock-'));
  try {
    // A live process that is not us holds the folder (our parent will do).
    await writeFile(join(root, 'takt.pid'), String(process.ppid));
    await expect(startEmbeddedDatabase(root)).rejects.toThrow(/already running.*pid \d+/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
