// The project type-checks with TypeScript 7 (the native compiler), which has no JavaScript compiler
// API; Stryker (its TypeScript checker and its tsconfig rewriting) needs one. This hook hands
// Stryker TypeScript 5.9, installed as `typescript-5`, and leaves every other importer alone.
import { register } from 'node:module';

register('./typescript-5-hooks.mjs', import.meta.url);
