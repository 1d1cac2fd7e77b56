import { defineConfig } from 'vitest/config';

// The tests import tfjs-core's gradient registrations, ES module files Node would read as CommonJS:
// let vite transform them (everything under tfjs-core/dist except the CommonJS Node bundle).
export default defineConfig({
  test: { testTimeout: 60_000, server: { deps: { inline: [/@tensorflow[\\/]tfjs-core[\\/]dist[\\/](?!tf-core)/] } } },
});
