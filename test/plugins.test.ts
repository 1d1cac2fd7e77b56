// A third-party plugin package, named in a config, loaded from node_modules and used.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, createRegistry, loadConfig, loadPlugins } from '@affectzoo/core';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

describe('plugins through a config', () => {
  it('loads affectzoo-plugin-example and reads its format', async () => {
    const config = await loadConfig(join(FIXTURES, 'example-plugin.yaml'));
    const registry = createRegistry();
    await loadPlugins(config.plugins, registry, FIXTURES);
    expect(registry.names('dataset')).toContain('ferplus-votes');

    const dir = await mkdtemp(join(FIXTURES, '.tmp-'));
    const votes = join(dir, 'votes.csv');
    await writeFile(votes, [
      'image,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,not_a_face',
      'a.png,1,8,1,0,0,0,0,0,0,0', // happiness -> 4
      'b.png,0,0,0,0,0,0,0,6,4,0', // contempt -> Other (7)
      'c.png,5,5,0,0,0,0,0,0,0,0', // tie -> left out
      'd.png,0,0,0,0,0,0,0,0,0,10', // not a face -> left out
    ].join('\n'));
    const format = await registry.create('dataset', { name: config.data.format }, 'data.format');
    const set = await format.read(votes);
    expect(set.rows.map((r) => [r.image, r.expression])).toEqual([['a.png', 4], ['b.png', 7]]);
    await writeFile(votes, 'image,neutral\n');
    await expect(format.read(votes)).rejects.toThrow(/votes\.csv:1: expected the header/);
  });

  it('validates the plugin\'s options by their config path', async () => {
    const registry = createRegistry();
    await loadPlugins(['affectzoo-plugin-example'], registry, FIXTURES);
    expect(() => registry.parseOptions('dataset', { name: 'ferplus-votes', options: { minVotes: 0 } }, 'data'))
      .toThrow(ConfigError);
    try {
      registry.parseOptions('dataset', { name: 'ferplus-votes', options: { minVotes: 0 } }, 'data');
    } catch (e) {
      expect((e as ConfigError).issues[0]!.path).toBe('data.options.minVotes');
    }
  });
});
