/**
 * Reading and validating config files (YAML or JSON: YAML is a superset). Relative paths in the
 * `data` and `train.out` fields are resolved against the config file's folder, so a config runs
 * the same from any working directory.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { ConfigError, InputError } from '../errors.js';
import { formatIssues, type Registry } from '../registry/registry.js';
import { configSchema, type AffectzooConfig, type AffectzooConfigInput } from './schema.js';

/** Validate a config object; `source` (a file name) prefixes error messages. */
export function parseConfig(value: unknown, source?: string): AffectzooConfig {
  const parsed = configSchema.safeParse(value ?? {});
  if (!parsed.success) throw new ConfigError(formatIssues(parsed.error.issues), source);
  return parsed.data;
}

/** Resolve the config's relative paths against `base`. */
export function resolveConfigPaths(config: AffectzooConfig, base: string): AffectzooConfig {
  const at = (p: string) => resolve(base, p);
  return {
    ...config,
    data: { ...config.data, train: config.data.train.map(at), val: config.data.val.map(at), features: at(config.data.features) },
    train: { ...config.train, out: at(config.train.out) },
  };
}

/** Read, validate and resolve a config file. */
export async function loadConfig(file: string): Promise<AffectzooConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new InputError(file, undefined, `cannot read config file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (e) {
    if (e instanceof YAMLParseError) throw new InputError(file, e.linePos?.[0]?.line, e.message.split('\n')[0] ?? 'invalid YAML');
    throw e;
  }
  return resolveConfigPaths(parseConfig(value, file), dirname(resolve(file)));
}

/** A config from an object in code (paths resolved against `base`, the working folder by default). */
export function defineConfig(config: AffectzooConfigInput, base = process.cwd()): AffectzooConfig {
  return resolveConfigPaths(parseConfig(config), base);
}

/**
 * Check every component's options against its factory's schema (after the plugins are loaded),
 * collecting all problems into one `ConfigError` with config paths.
 */
export function validateComponents(config: AffectzooConfig, registry: Registry, source?: string): void {
  const issues: { path: string; message: string }[] = [];
  const check = (run: () => void) => {
    try {
      run();
    } catch (e) {
      if (e instanceof ConfigError) issues.push(...e.issues);
      else throw e;
    }
  };
  check(() => registry.parseOptions('backend', config.backend, 'backend'));
  check(() => registry.parseOptions('backbone', config.backbone, 'backbone'));
  check(() => registry.parseOptions('optimizer', config.optimizer, 'optimizer'));
  check(() => registry.get('dataset', config.data.format, 'data.format'));
  config.heads.forEach((h, i) => check(() => registry.parseOptions('head', h, `heads[${i}]`)));
  config.losses.forEach((l, i) => check(() => registry.parseOptions('loss', l, `losses[${i}]`)));
  if (issues.length > 0) throw new ConfigError(issues, source);
}
