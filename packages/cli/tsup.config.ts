import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

// The library entry and the `affectzoo` bin; declarations for the library only.
export default defineConfig({ ...packageBuild, entry: ['src/index.ts', 'src/bin.ts'], dts: { entry: 'src/index.ts' } });
