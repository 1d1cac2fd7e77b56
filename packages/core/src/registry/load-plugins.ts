/**
 * Loading plugin packages named in a config. A plugin is an npm package whose entry module exports
 * `register(registry)`. Names are npm package names only, resolved from `node_modules` folders
 * upwards of a base folder (the config file's folder): never a path, a URL or a code string.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../errors.js';
import type { Registry } from './registry.js';

/** The shape of a plugin package's entry module. */
export interface PluginModule {
  register(registry: Registry): void | Promise<void>;
}

const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9-._~]*\/)?[a-z0-9][a-z0-9-._~]*$/;

export function isPackageName(name: string): boolean {
  return PACKAGE_NAME.test(name) && name.length <= 214;
}

type Exports = string | { [key: string]: Exports } | null | undefined;

/** Pick the ESM entry of a package from its `exports`, `module` or `main` field. */
function entryOf(pkg: { exports?: Exports; module?: string; main?: string }): string {
  const pick = (e: Exports): string | undefined => {
    if (typeof e === 'string') return e;
    if (!e || typeof e !== 'object') return undefined;
    const root = '.' in e ? e['.'] : e;
    if (typeof root === 'string') return root;
    if (!root || typeof root !== 'object') return undefined;
    for (const condition of ['import', 'node', 'default']) {
      const found = pick(root[condition]);
      if (found) return found;
    }
    return undefined;
  };
  return pick(pkg.exports) ?? pkg.module ?? pkg.main ?? 'index.js';
}

/** Find a package's folder in the `node_modules` folders from `base` upwards. */
export function findPackage(name: string, base: string): string | undefined {
  let dir = resolve(base);
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Import one plugin package and let it register its factories. */
export async function loadPlugin(name: string, registry: Registry, base: string, path = 'plugins'): Promise<void> {
  if (!isPackageName(name)) {
    throw new ConfigError([{ path, message: `"${name}" is not an npm package name; plugins are installed packages, not paths` }]);
  }
  const dir = findPackage(name, base);
  if (!dir) {
    throw new ConfigError([{ path, message: `plugin package "${name}" is not installed (looked in node_modules from ${resolve(base)} upwards); run: npm install ${name}` }]);
  }
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Parameters<typeof entryOf>[0];
  const mod = (await import(pathToFileURL(join(dir, entryOf(pkg))).href)) as Partial<PluginModule>;
  if (typeof mod.register !== 'function') {
    throw new ConfigError([{ path, message: `package "${name}" is not an affectzoo plugin: it exports no register(registry) function` }]);
  }
  await mod.register(registry);
}

/** Load each named plugin in order; a package listed twice is loaded once. */
export async function loadPlugins(names: readonly string[], registry: Registry, base: string): Promise<void> {
  const seen = new Set<string>();
  for (const [i, name] of names.entries()) {
    if (seen.has(name)) continue;
    seen.add(name);
    await loadPlugin(name, registry, base, `plugins[${i}]`);
  }
}
