import assert from 'node:assert/strict';
import { z } from 'zod';
import { listFromEnv, loadConfig, portFromEnv, requireInProduction, requireWhen } from '@merchant-platform/common/config';
import { configProblems } from '@merchant-platform/common/testing/config-problems';

const schema = z
  .object({
    PORT: portFromEnv.default(8080),
    WORKERS: z.coerce.number().int().min(1).max(8).default(2),
    MODE: z.enum(['fast', 'safe']).default('safe'),
    API_KEY: z.string().min(16).optional(),
    PARTNER_ID: z.string().optional(),
  })
  .superRefine((config, ctx) => {
    if (config.MODE === 'fast' && config.API_KEY === undefined)
      ctx.addIssue({ code: 'custom', path: ['API_KEY'], message: 'is required when MODE=fast' });
  })
  .superRefine((config, ctx) => {
    if (config.PARTNER_ID !== undefined && config.API_KEY === undefined)
      ctx.addIssue({ code: 'custom', path: ['API_KEY'], message: 'is required with PARTNER_ID' });
  });

const problems = (env: Record<string, string>, against: z.ZodType = schema) => configProblems(against, env);

describe('loadConfig', () => {
  it('reports a bad value and the rules across variables in the same message', () => {
    assert.deepEqual(problems({ PORT: 'eighty', MODE: 'fast' }), ['PORT: must be a number', 'API_KEY: is required when MODE=fast']);
  });

  it('says what each bad value must be in words for the person setting it', () => {
    assert.deepEqual(problems({ WORKERS: '9', MODE: 'quick' }), ['WORKERS: must be at most 8', 'MODE: must be one of: fast, safe']);
    assert.deepEqual(problems({ WORKERS: '1.5' }), ['WORKERS: must be a whole number']);
  });

  it('never repeats the value it rejects, which may be a secret', () => {
    const found = problems({ API_KEY: 'hunter2-secret' });
    assert.deepEqual(found, ['API_KEY: must be at least 16 characters long']);
    assert.doesNotMatch(found.join(), /hunter2/);
  });

  it('names a variable once when two rules find it missing', () => {
    assert.deepEqual(problems({ MODE: 'fast', PARTNER_ID: 'p-1' }), ['API_KEY: is required when MODE=fast']);
  });

  it('puts every problem on one line, with what to do', () => {
    assert.throws(
      () => loadConfig(schema, { PORT: '-1', WORKERS: '0' }),
      (error: Error) => {
        assert.equal(
          error.message,
          'Invalid configuration: PORT: must be at least 0; WORKERS: must be at least 1. Fix these environment variables and start again.',
        );
        return true;
      },
    );
  });
});

describe('the production rule', () => {
  const secrets = z
    .object({
      NODE_ENV: z.string().default('development'),
      MODE: z.enum(['token', 'other']).default('token'),
      KEY: z.string().optional(),
      KEY_FILE: z.string().optional(),
      KEYS: listFromEnv.optional(),
      TOKEN: z.string().optional(),
      UPSTREAM_URL: z.string().optional(),
    })
    .superRefine(requireInProduction([['KEY', 'KEY_FILE'], 'KEYS']))
    .superRefine(requireInProduction(['TOKEN'], { holds: (config) => config.MODE === 'token', described: 'MODE=token' }))
    .superRefine(requireWhen({ holds: (config) => config.UPSTREAM_URL !== undefined, described: 'UPSTREAM_URL is set' }, [['TOKEN']]));

  it('asks for nothing outside production', () => {
    assert.deepEqual(problems({}, secrets), []);
  });

  it('names every missing secret at once in production, with the alternatives that would do and the narrower condition', () => {
    assert.deepEqual(problems({ NODE_ENV: 'production' }, secrets), [
      'KEY: is required when NODE_ENV=production (or KEY_FILE)',
      'KEYS: is required when NODE_ENV=production',
      'TOKEN: is required when NODE_ENV=production and MODE=token',
    ]);
  });

  it('is satisfied by any one alternative, and counts an empty list as unset', () => {
    assert.deepEqual(problems({ NODE_ENV: 'production', KEY_FILE: '/run/key', KEYS: ',', MODE: 'other' }, secrets), [
      'KEYS: is required when NODE_ENV=production',
    ]);
  });

  it('applies a requirement under any other condition the same way', () => {
    assert.deepEqual(problems({ UPSTREAM_URL: 'http://up' }, secrets), ['TOKEN: is required when UPSTREAM_URL is set']);
  });
});
