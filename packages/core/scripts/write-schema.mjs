// Writes schema/config.schema.json from the built config schema (run after each build).
import { mkdirSync, writeFileSync } from 'node:fs';
import { configJsonSchema } from '../dist/index.js';

mkdirSync(new URL('../schema/', import.meta.url), { recursive: true });
writeFileSync(new URL('../schema/config.schema.json', import.meta.url), JSON.stringify(configJsonSchema(), null, 2) + '\n');
