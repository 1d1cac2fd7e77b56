/**
 * The registry the CLI works with: core's factories, the built-in plugin packages, then the
 * plugins a config lists (resolved from the config file's folder).
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRegistry, loadPlugins, type AffectzooConfig, type Registry } from '@affectzoo/core';

/** Plugin packages every CLI run loads. */
export const BUILTIN_PLUGINS = ['@affectzoo/backbones', '@affectzoo/heads', '@affectzoo/optim-sam', '@affectzoo/faces'] as const;

const here = dirname(fileURLToPath(import.meta.url));

export async function buildRegistry(config?: Pick<AffectzooConfig, 'plugins'>, base = process.cwd()): Promise<Registry> {
  const registry = createRegistry();
  await loadPlugins(BUILTIN_PLUGINS, registry, here);
  if (config) await loadPlugins(config.plugins, registry, base);
  return registry;
}
