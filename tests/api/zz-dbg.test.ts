import { it } from 'vitest';
import { startTestSystem } from '../support/system.ts';
import { client } from '../support/http.ts';
it('stop time', async () => {
  const t = await startTestSystem({ heartbeatMs: 200 });
  const api = client(t.url, t.adminToken);
  if (process.env.DBG_REQ) await api('GET', '/api/v1/orders');
  if (process.env.DBG_STREAM) { const c = new AbortController(); const r = await fetch(`${t.url}/api/v1/stream`, { headers: { authorization: `Bearer ${t.adminToken}` }, signal: c.signal }); await r.body!.getReader().read(); c.abort(); await new Promise(r => setTimeout(r, 300)); }
  const s0 = Date.now(); await t.system.stop(); console.log('STOP', Date.now() - s0);
});
