import { describe, expect, it } from 'vitest';
import { ConfigError, createRegistry, type BackendPlugin, defineConfig, parseConfig, Registry, validateComponents, z } from '../src/index.js';
import { loadPlugin } from '../src/registry/load-plugins.js';

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

/** A backend that runs nothing: enough for the registry's own checks. */
function toyBackend(name: string): BackendPlugin {
  return { name, runtime: 'tfjs', describe: () => name, dispose: async () => undefined };
}

function registryWithToyBackend(): Registry {
  const registry = createRegistry();
  registry.register({
    kind: 'backend',
    name: 'toy',
    description: 'a toy backend',
    options: z.strictObject({ threads: z.number().int().positive().default(1), mode: z.enum(['fast', 'exact']).default('exact') }),
    create: (o) => toyBackend(`toy:${o.threads}:${o.mode}`),
  });
  return registry;
}

describe('Registry', () => {
  it('creates a component with its options validated and defaulted', async () => {
    const backend = await registryWithToyBackend().create('backend', { name: 'toy', options: { threads: 2 } });
    expect(backend.name).toBe('toy:2:exact');
  });

  it('reports a wrong option by its config path, with the allowed values', async () => {
    const registry = registryWithToyBackend();
    const e = configError(() => registry.parseOptions('backend', { name: 'toy', options: { mode: 'turbo' } }));
    expect(e.issues[0]!.path).toBe('backend.options.mode');
    expect(e.issues[0]!.message).toMatch(/"fast"\|"exact"/);
  });

  it('reports an unknown name with the registered ones', () => {
    const e = configError(() => registryWithToyBackend().get('backend', 'tpu'));
    expect(e.message).toMatch(/backend\.name: unknown backend "tpu"; registered: toy/);
  });

  it('refuses a second factory with the same kind and name', () => {
    const registry = registryWithToyBackend();
    expect(() => registry.register({ kind: 'backend', name: 'toy', description: '', options: z.object({}), create: () => toyBackend('x') }))
      .toThrow(/already registered/);
  });

  it('refuses plugin names that are paths', async () => {
    await expect(loadPlugin('./evil.js', new Registry(), process.cwd())).rejects.toThrow(/not an npm package name/);
    await expect(loadPlugin('/tmp/evil', new Registry(), process.cwd())).rejects.toThrow(/not an npm package name/);
    await expect(loadPlugin('affectzoo-no-such-plugin', new Registry(), process.cwd())).rejects.toThrow(/is not installed/);
  });
});

describe('config', () => {
  it('fills documented defaults', () => {
    const c = parseConfig({});
    expect(c.seed).toBe(0);
    expect(c.backend).toEqual({ name: 'wasm', options: {} });
    expect(c.train).toMatchObject({ schedule: 'staged', batchSize: 256, lr: 1e-3, weightDecay: 1 / 256 });
    expect(c.data.onBadImage).toBe('stop');
  });

  it('names the path and the allowed values of a bad field, and unknown keys', () => {
    const e = configError(() => parseConfig({ train: { schedule: 'weekly', batchSize: -1 }, lerning_rate: 1 }, 'cfg.yaml'));
    const byPath = Object.fromEntries(e.issues.map((i) => [i.path, i.message]));
    expect(byPath['train.schedule']).toMatch(/"staged"\|"joint"/);
    expect(byPath['train.batchSize']).toMatch(/>0|positive|greater/i);
    expect(e.issues.some((i) => /lerning_rate/.test(i.message))).toBe(true);
    expect(e.message).toMatch(/^cfg\.yaml: invalid config/);
  });

  it('resolves data paths against the base folder', () => {
    const c = defineConfig({ data: { train: ['a/train.txt'] } }, '/data/project');
    expect(c.data.train).toEqual(['/data/project/a/train.txt']);
  });

  it('validates every component against the registry at once', () => {
    const registry = registryWithToyBackend();
    const config = parseConfig({ backend: { name: 'toy', options: { threads: 0 } }, backbone: { name: 'nope' } });
    const e = configError(() => validateComponents(config, registry));
    const paths = e.issues.map((i) => i.path);
    expect(paths).toContain('backend.options.threads');
    expect(paths).toContain('backbone.name');
    expect(paths).toContain('optimizer.name');
  });
});
