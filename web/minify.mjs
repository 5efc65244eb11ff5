// Minifies the built site's JavaScript glue in place with terser (from npm: web/package.json,
// installed into web/node_modules by .ci/dev; nothing is fetched at build time). Emscripten's own
// pass only strips whitespace; terser also shortens names and drops what nothing calls. `Module`
// keeps its name (the page's tests and host pages read it) and so do all property names.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from 'terser';

//   node web/minify.mjs SITE_DIRECTORY [FILE...]   (FILE: index.js, tools.js; both by default)
// tools.js (the import and export tools, fetched on first use) keeps its top level as it is: the
// page calls its factory, createNetshapeTools, which nothing in the file itself calls.
const names = process.argv.length > 3 ? process.argv.slice(3) : ['index.js', 'tools.js'];
for (const name of names) {
  const file = join(process.argv[2], name);
  const result = await minify(readFileSync(file, 'utf8'), {
    toplevel: name === 'index.js',
    compress: { passes: 3 },
    mangle: { reserved: ['Module'] },
    format: { comments: false },
  });
  writeFileSync(file, result.code);
}
