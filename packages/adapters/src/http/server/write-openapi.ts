// Writes packages/adapters/openapi.json from the route table (formatted as Prettier would, so
// the repository's format check passes):
//   node -C source --import tsx packages/adapters/src/http/server/write-openapi.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openApiDocument } from '../api/openapi.ts';

/** Where the checked-in document lives. */
export const OPENAPI_FILE = fileURLToPath(new URL('../../../openapi.json', import.meta.url));

/** The checked-in document's text: what the test compares the file with. */
export async function openApiText(): Promise<string> {
  const prettier = await import('prettier');
  const config = (await prettier.resolveConfig(OPENAPI_FILE)) ?? {};
  return prettier.format(JSON.stringify(openApiDocument()), { ...config, parser: 'json' });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(OPENAPI_FILE, await openApiText());
  console.log(`wrote ${OPENAPI_FILE}`);
}
