// Minifies the built site's JavaScript glue in place with terser (from npm: web/package.json,
// installed into web/node_modules by .ci/dev; nothing is fetched at build time). Emscripten's own
// pass only strips whitespace; terser also shortens names and drops what nothing calls. `Module`
// keeps its name (the page's tests and host pages read it) and so do all property names.
//   node web/minify.mjs SITE_DIRECTORY
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from 'terser';

const file = join(process.argv[2], 'index.js');
const result = await minify(readFileSync(file, 'utf8'), {
  toplevel: true,
  compress: { passes: 3 },
  mangle: { reserved: ['Module'] },
  format: { comments: false },
});
writeFileSync(file, result.code);
