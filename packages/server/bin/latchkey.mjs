#!/usr/bin/env node
// The operator CLI (`npx latchkey …`): runs the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
