/** `affectzoo plugins`: list every registered factory, and `affectzoo config`: validate a config. */
import { configJsonSchema, loadConfig, validateComponents, type PluginKind } from '@affectzoo/core';
import { dirname, resolve } from 'node:path';
import { buildRegistry } from '../registry.js';

export async function runPlugins(o: { config?: string; kind?: PluginKind }): Promise<void> {
  const config = o.config ? await loadConfig(o.config) : undefined;
  const registry = await buildRegistry(config, o.config ? dirname(resolve(o.config)) : process.cwd());
  for (const f of registry.list(o.kind)) console.log(`${f.kind.padEnd(9)} ${f.name.padEnd(20)} ${f.description}`);
}

export async function runConfigCheck(file: string): Promise<void> {
  const config = await loadConfig(file);
  const registry = await buildRegistry(config, dirname(resolve(file)));
  validateComponents(config, registry, file);
  console.log(`${file}: valid`);
}

export function runSchema(): void {
  console.log(JSON.stringify(configJsonSchema(), null, 2));
}
