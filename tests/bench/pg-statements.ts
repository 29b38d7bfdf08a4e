import { readFileSync } from 'node:fs';
import postgres from 'postgres';

/**
 * With TAKT_PG_STATEMENTS=true the spawned server's embedded database collects pg_stat_statements;
 * this prints its costliest statements (total time includes time spent waiting for locks).
 */
export async function printCostliestStatements(dataDir: string, limit = 15): Promise<void> {
  if (!['true', '1', 'yes'].includes((process.env.TAKT_PG_STATEMENTS ?? '').toLowerCase())) return;
  const credentials = JSON.parse(readFileSync(`${dataDir}/credentials.json`, 'utf8')) as { user: string; password: string };
  // postmaster.pid: line 4 is the port.
  const port = Number(readFileSync(`${dataDir}/pg/postmaster.pid`, 'utf8').split('\n')[3]);
  const sql = postgres({ host: '127.0.0.1', port, user: credentials.user, password: credentials.password, database: 'takt', onnotice: () => {} });
  try {
    await sql`create extension if not exists pg_stat_statements`;
    const rows = await sql<{ calls: string; total: string; mean: string; query: string }[]>`
      select calls::text, round(total_exec_time::numeric, 1)::text as total, round(mean_exec_time::numeric, 2)::text as mean,
        left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 110) as query
      from pg_stat_statements order by total_exec_time desc limit ${limit}`;
    console.log('costliest statements (pg_stat_statements): calls, total ms, mean ms, statement');
    for (const r of rows) console.log(`  ${r.calls.padStart(6)} ${r.total.padStart(9)} ${r.mean.padStart(8)}  ${r.query}`);
  } finally {
    await sql.end();
  }
}
