import { afterAll } from 'vitest';
import { dropCreatedSchemas } from './test-database.ts';

// vitest setupFiles of the `postgres` project: after each test file, drop the schemas its engines used.
afterAll(dropCreatedSchemas);
