#!/usr/bin/env node
// Entry point of the `segtrial` command. The CLI is written in TypeScript; tsx compiles it on load.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// Its tsconfig.json (the `@/` path alias) whatever directory the command is run from.
register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
