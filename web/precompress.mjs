// Writes FILE.gz and FILE.br beside every page, script and WebAssembly file of the built site, at
// the highest levels (compressed once at build time, not per request), for hosts that serve
// precompressed files (.ci/serve.mjs does; README, "Hosting").
//   node web/precompress.mjs SITE_DIRECTORY
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const directory = process.argv[2];
for (const name of readdirSync(directory)) {
  if (!['.html', '.js', '.wasm'].includes(extname(name))) continue;
  const bytes = readFileSync(join(directory, name));
  writeFileSync(join(directory, name + '.gz'), gzipSync(bytes, { level: 9 }));
  writeFileSync(join(directory, name + '.br'), brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      [constants.BROTLI_PARAM_MODE]: extname(name) === '.wasm' ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
    },
  }));
}
