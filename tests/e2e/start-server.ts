/**
 * Starts the real server for Playwright on a fresh embedded PostgreSQL: the data directory is
 * deleted first so every run seeds the same demo plant, and the simulator is off so nothing moves
 * unless a test moves it.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dataDir = process.env.TAKT_DATA_DIR;
if (!dataDir) throw new Error('TAKT_DATA_DIR must be set (playwright.config.ts sets it)');
rmSync(dataDir, { recursive: true, force: true });

const root = fileURLToPath(new URL('../..', import.meta.url));
const port = process.env.E2E_PORT ?? '3199';
const child = spawn(process.execPath, ['server/main.ts', '--no-simulate', `--port=${port}`], { cwd: root, stdio: 'inherit', env: process.env });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
