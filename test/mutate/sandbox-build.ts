/**
 * Stryker's build command in its sandbox (see run.ts): compiles the instrumented sources with tsc,
 * then bundles the bin from what tsc wrote. The end-to-end tests spawn that bin: one left from the
 * outer build would run none of the mutants. (Stryker runs a command without a shell: no `&&`.)
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

execFileSync(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-p', '.'], { stdio: 'inherit' });
await import('../build/bundle-cli.js');
