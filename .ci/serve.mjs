// A static file server for the built site (build/wasm/site): `.ci/dev run` serves the app with it,
// and the browser tests and the web benchmark start one. Localhost only; no directory listings.
//   node .ci/serve.mjs DIR [PORT]
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.css': 'text/css',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

// Resolves with { server, url } once listening; port 0 picks a free one.
export function serve(directory, port = 0) {
  const root = resolve(directory);
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    const file = normalize(join(root, path.endsWith('/') ? path + 'index.html' : path));
    if (!file.startsWith(root)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const headers = { 'Content-Type': types[extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-cache' };
      // The build writes FILE.br and FILE.gz beside each file (web/precompress.mjs): the smallest
      // one the browser accepts is sent, as a host with precompressed files would.
      const accepted = String(request.headers['accept-encoding'] || '');
      let body = null;
      for (const [encoding, suffix] of [['br', '.br'], ['gzip', '.gz']]) {
        if (body || !new RegExp(`\\b${encoding}\\b`).test(accepted)) continue;
        body = await readFile(file + suffix).catch(() => null);
        if (body) headers['Content-Encoding'] = encoding;
      }
      if (body || (body = await readFile(file))) {
        headers.Vary = 'Accept-Encoding';
        response.writeHead(200, headers);
        response.end(body);
      }
    } catch {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((resolvePromise) => {
    server.listen(port, '127.0.0.1', () => {
      resolvePromise({ server, url: `http://127.0.0.1:${server.address().port}/` });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [directory = 'build/wasm/site', port = '8080'] = process.argv.slice(2);
  const { url } = await serve(directory, Number(port));
  console.log(`netshape is served at ${url} (Ctrl+C stops)`);
}
