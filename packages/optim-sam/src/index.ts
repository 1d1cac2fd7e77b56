/** @affectzoo/optim-sam (work in progress: its factories arrive with their issue). */
import type { Registry } from '@affectzoo/core';

/** Register this package's factories. */
export function register(_registry: Registry): void {}
