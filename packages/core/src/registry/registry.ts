/**
 * The plugin registry: named factories of each kind, each with an options schema. A config names
 * a factory and its options; `create` validates the options against the factory's schema and
 * reports a wrong option by its config path.
 */
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import type { PluginProducts } from './kinds.js';

export const PLUGIN_KINDS = ['backbone', 'head', 'optimizer', 'backend', 'dataset', 'loss', 'detector'] as const;
export type PluginKind = (typeof PLUGIN_KINDS)[number];

/** What a factory gets besides its options. */
export interface FactoryContext {
  registry: Registry;
  /** Where in the config this component was declared, for error messages. */
  path: string;
}

/** A named factory of one kind, with the schema of its options. */
export interface Factory<K extends PluginKind = PluginKind, O = unknown> {
  kind: K;
  name: string;
  /** One line saying what it is, shown by `affectzoo plugins`. */
  description: string;
  /** Schema of the options; its defaults are the documented defaults. */
  options: z.ZodType<O>;
  create(options: O, context: FactoryContext): PluginProducts[K] | Promise<PluginProducts[K]>;
}

/** A reference to a factory in a config: its name and its (unvalidated) options. */
export interface ComponentRef {
  name: string;
  options?: Record<string, unknown>;
}

/** Turn zod issues into `{ path, message }` with the path written as in the config file. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], prefix = ''): { path: string; message: string }[] {
  return issues.map((issue) => {
    let path = prefix;
    for (const key of issue.path) {
      path += typeof key === 'number' ? `[${key}]` : path === '' ? String(key) : `.${String(key)}`;
    }
    return { path, message: issue.message };
  });
}

export class Registry {
  private readonly factories = new Map<string, Factory>();

  private static key(kind: PluginKind, name: string): string {
    return `${kind}:${name}`;
  }

  /** Add a factory. Registering a second factory of the same kind and name is an error. */
  register<K extends PluginKind, O>(factory: Factory<K, O>): void {
    const key = Registry.key(factory.kind, factory.name);
    if (this.factories.has(key)) throw new Error(`a ${factory.kind} named "${factory.name}" is already registered`);
    this.factories.set(key, factory as unknown as Factory);
  }

  has(kind: PluginKind, name: string): boolean {
    return this.factories.has(Registry.key(kind, name));
  }

  /** Names registered for a kind, sorted. */
  names(kind: PluginKind): string[] {
    return [...this.factories.values()].filter((f) => f.kind === kind).map((f) => f.name).sort();
  }

  /** All factories of a kind (or of every kind), sorted by kind and name. */
  list(kind?: PluginKind): Factory[] {
    return [...this.factories.values()]
      .filter((f) => kind === undefined || f.kind === kind)
      .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
  }

  /**
   * The factory of a kind and name; an unknown name is a `ConfigError` at `namePath` (the config
   * path of the name) listing the known ones.
   */
  get<K extends PluginKind>(kind: K, name: string, namePath = `${kind}.name`): Factory<K> {
    const factory = this.factories.get(Registry.key(kind, name));
    if (!factory) {
      const known = this.names(kind);
      throw new ConfigError([{
        path: namePath,
        message: `unknown ${kind} "${name}"; registered: ${known.length ? known.join(', ') : '(none: is its plugin listed in "plugins"?)'}`,
      }]);
    }
    return factory as unknown as Factory<K>;
  }

  /** Validate a component's options against its factory's schema (defaults filled in). */
  parseOptions<K extends PluginKind>(kind: K, ref: ComponentRef, path: string = kind): unknown {
    const factory = this.get(kind, ref.name, `${path}.name`);
    const parsed = factory.options.safeParse(ref.options ?? {});
    if (!parsed.success) throw new ConfigError(formatIssues(parsed.error.issues, `${path}.options`));
    return parsed.data;
  }

  /** Create a component from its config reference. */
  async create<K extends PluginKind>(kind: K, ref: ComponentRef, path: string = kind): Promise<PluginProducts[K]> {
    const options = this.parseOptions(kind, ref, path);
    return this.get(kind, ref.name, `${path}.name`).create(options, { registry: this, path });
  }
}
