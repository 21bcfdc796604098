// Copies what the compiled server reads from beside its own modules (the SQL migrations and
// the post-migration SQL of src/db) into a build's output directory, so `npm run build`
// gives a dist/ that runs on its own: tsc emits JavaScript only.
//   node scripts/copy-build-assets.mjs [outDir]      (default: dist)
import { cpSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const outDir = resolve(process.argv[2] ?? join(root, 'dist'));
for (const dir of ['db/migrations', 'db/sql']) {
  const from = join(root, 'src', dir);
  if (!existsSync(from)) throw new Error(`missing ${from}`);
  cpSync(from, join(outDir, dir), { recursive: true });
}
