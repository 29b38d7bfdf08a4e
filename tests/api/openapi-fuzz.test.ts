import { expect, it } from 'vitest';
import { createRandom } from '../../scheduler/engine/random.ts';
import { createOrder, seedSmallFactory } from '../support/factory.ts';
import { documentViolation } from '../support/openapi.ts';
import { useTestSystem } from '../support/system.ts';

// The OpenAPI document drives a bounded fuzz of every operation: a plausible request built from its
// schema, then mutations a careless or hostile client sends (missing and wrong-typed fields, NUL and
// unpaired surrogates, huge numbers, wrong shapes, unknown path keys). Nothing may answer 5xx, and
// every status must be one the document lists for that operation, and a success body must be what
// the operation's schema describes.
const CASES_PER_OPERATION = 14;

const t = useTestSystem({
  seed: async (api) => {
    await seedSmallFactory(api);
    await createOrder(api, 'FZ-1', { quantity: 5 });
  },
});

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; items?: Schema; enum?: unknown[]; const?: unknown; format?: string; pattern?: string; minimum?: number; exclusiveMinimum?: number; maximum?: number; minItems?: number; minLength?: number; default?: unknown; anyOf?: Schema[]; oneOf?: Schema[] };
interface Operation { requestBody?: { content: { 'application/json'?: { schema: Schema } } }; responses: Record<string, unknown>; parameters?: { name: string; in: string }[] }

/** A value the schema accepts, as a client that read the document would send. */
function sample(schema: Schema, key = ''): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const variant = schema.anyOf?.[0] ?? schema.oneOf?.[0];
  if (variant) return sample(variant, key);
  const type = Array.isArray(schema.type) ? schema.type.find((x) => x !== 'null') : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).filter(([k]) => schema.required?.includes(k)).map(([k, v]) => [k, sample(v, k)]));
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => sample(schema.items ?? {}, key));
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 1, (schema.exclusiveMinimum ?? 0) + 1);
    case 'boolean':
      return true;
    case 'string':
      if (schema.format === 'date-time') return new Date(Date.now() + 3_600_000).toISOString();
      if (/time$/i.test(key) && schema.pattern?.includes(':')) return '08:00';
      if (schema.pattern?.includes('\\d{4}-')) return '2026-12-24T08:00';
      if (schema.pattern?.startsWith('^\\d')) return '12345678'.slice(0, Math.max(4, schema.minLength ?? 4));
      if (/^(id|clientId)$/.test(key)) return crypto.randomUUID();
      return `FZ-${key || 'x'}`.slice(0, 64);
    default:
      return null;
  }
}

/** The mutations of a body, most of them invalid on purpose. */
function mutations(valid: unknown, random: ReturnType<typeof createRandom>): unknown[] {
  const out: unknown[] = [valid, {}, [], null, 'text', 12];
  if (valid && typeof valid === 'object' && !Array.isArray(valid)) {
    for (const key of Object.keys(valid)) {
      const without = { ...(valid as Record<string, unknown>) };
      delete without[key];
      out.push(without);
      for (const bad of ['a\u0000b', '\ud800', 1e308, -1, '', 'x'.repeat(5000), { nested: true }, [1, 2], true, null]) {
        out.push({ ...(valid as Record<string, unknown>), [key]: bad });
      }
    }
    out.push({ ...(valid as Record<string, unknown>), unexpected: 'field' });
  }
  // The valid request first, then a seeded pick of the rest: the run is bounded and repeatable.
  const [first, ...rest] = out;
  for (let i = rest.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [rest[i], rest[j]] = [rest[j], rest[i]];
  }
  return [first, ...rest].slice(0, CASES_PER_OPERATION);
}

const pathValues: Record<string, string[]> = {
  code: ['CUT', 'FZ-NOPE', 'a%00b', '%ED%A0%80'],
  id: ['1', 'no-such-id', 'x%00'],
  reason: ['breakdown', 'volcano'],
};

it('every operation in the OpenAPI document answers only documented statuses, never 5xx', async () => {
  const document = (await t.api('GET', '/api/v1/openapi.json')).body as { paths: Record<string, Record<string, Operation>> };
  const random = createRandom(20261202);
  const failures: string[] = [];
  let requests = 0;
  let successes = 0;
  for (const [path, methods] of Object.entries(document.paths)) {
    if (path === '/stream') continue; // an endless response: its parameters are tested in stream.test.ts
    for (const [method, operation] of Object.entries(methods)) {
      // An import takes a file, not JSON: it is sent without a body (and must answer a documented 400).
      const schema = operation.requestBody?.content['application/json']?.schema;
      const bodies = schema ? mutations(sample(schema), random) : [undefined];
      const keys = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      const urls = keys.length ? (pathValues[keys[0]!] ?? ['x']).map((v) => path.replace(`{${keys[0]}}`, v)) : [path];
      for (const url of urls) {
        for (const body of url === urls[0] ? bodies : bodies.slice(0, 2)) {
          const r = await t.api(method.toUpperCase(), `/api/v1${url}`, body);
          requests++;
          if (r.status < 300) successes++;
          const violation = documentViolation(document.paths, method, path, r.status, r.body);
          if (violation) {
            failures.push(`${method.toUpperCase()} ${url} ${JSON.stringify(body)?.slice(0, 120)} -> ${violation}: ${JSON.stringify(r.body).slice(0, 160)}`);
          }
        }
      }
    }
  }
  expect(requests).toBeGreaterThan(300);
  // The valid sample of each operation gets through often enough that bodies are checked too.
  expect(successes).toBeGreaterThan(20);
  expect(failures).toEqual([]);
});
