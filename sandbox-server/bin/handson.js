#!/usr/bin/env node
// The `handson` command. The server is TypeScript run through tsx's loader, so there is no
// separate compile step between editing a lesson check and running it.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
