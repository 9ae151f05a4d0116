// A small static file server for the built page (dist/): correct MIME types
// (application/wasm matters: instantiateStreaming refuses anything else),
// no caching, extra response headers (e.g. a Content-Security-Policy), and
// per-path overrides for tests. Loopback only.
//
// As a module:  const s = await startServer({ root, headers, port });
//               s.url ('http://127.0.0.1:PORT/'), s.setHeaders({...}), await s.close()
// As a program: node tests/browser/lib/server.mjs [--root DIR] [--port N] [--host H]
//               (port 0 picks a free one; a busy port tries the next ones)
import { createServer } from 'node:http';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    const onError = (err) => { server.off('listening', onListening); reject(err); };
    const onListening = () => { server.off('error', onError); resolve(); };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

// options: root (folder to serve), host ('127.0.0.1'), port (0 = any free),
// headers (added to every response), log (function(line) per request).
export async function startServer(options = {}) {
  const root = path.resolve(options.root ?? 'dist');
  const host = options.host ?? '127.0.0.1';
  let headers = { ...(options.headers ?? {}) };
  const overrides = new Map(); // url path -> { status, body, headers }
  const log = options.log ?? (() => {});

  const server = createServer(async (req, res) => {
    const send = (status, body, extra = {}) => {
      res.writeHead(status, { 'Cache-Control': 'no-store', ...headers, ...extra });
      res.end(body);
      log(`${req.method} ${req.url} ${status}`);
    };
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n');
      let urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (urlPath.endsWith('/')) urlPath += 'index.html';
      const override = overrides.get(urlPath);
      if (override) return send(override.status ?? 200, override.body ?? '', override.headers ?? {});
      const file = path.resolve(root, '.' + urlPath);
      if (file !== root && !file.startsWith(root + path.sep)) return send(403, 'forbidden\n');
      let stat;
      try {
        stat = await fs.stat(file);
      } catch {
        return send(404, 'not found\n', { 'Content-Type': 'text/plain; charset=utf-8' });
      }
      if (!stat.isFile()) return send(404, 'not found\n', { 'Content-Type': 'text/plain; charset=utf-8' });
      const type = MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
      res.writeHead(200, {
        'Content-Type': type,
        'Content-Length': stat.size,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        ...headers,
      });
      log(`${req.method} ${req.url} 200`);
      if (req.method === 'HEAD') return res.end();
      createReadStream(file).pipe(res);
    } catch (err) {
      send(500, `server error: ${err.message}\n`);
    }
  });

  // A busy port (EADDRINUSE) tries the next ones; port 0 asks the OS.
  const first = options.port ?? 0;
  for (let port = first, tries = 0; ; port++, tries++) {
    try {
      await listen(server, port, host);
      break;
    } catch (err) {
      if (err.code !== 'EADDRINUSE' || first === 0 || tries >= 20) throw err;
    }
  }
  const { port } = server.address();
  return {
    root,
    port,
    url: `http://${host}:${port}/`,
    setHeaders(next) { headers = { ...next }; },
    // Answer `urlPath` (e.g. '/index.wasm') with { status, body, headers };
    // null removes the override.
    override(urlPath, response) {
      if (response) overrides.set(urlPath, response); else overrides.delete(urlPath);
    },
    // Back to the options' headers and no overrides (between tests).
    reset() {
      headers = { ...(options.headers ?? {}) };
      overrides.clear();
    },
    close() {
      server.closeAllConnections?.();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

// ---------------------------------------------------------------- program
function parseArgs(argv) {
  const args = { root: 'dist', port: 8080, host: '127.0.0.1' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--root') args.root = argv[++i];
    else if (a === '--port') args.port = Number(argv[++i]);
    else if (a === '--host') args.host = argv[++i];
    else if (a === '--help' || a === '-h') args.help = true;
    else throw new Error(`unknown argument: ${a}`);
  }
  return args;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log('usage: node server.mjs [--root DIR] [--port N] [--host 127.0.0.1]');
    process.exit(0);
  }
  await fs.access(path.join(args.root, 'index.html')).catch(() => {
    console.error(`server: no index.html in ${path.resolve(args.root)} (build first)`);
    process.exit(1);
  });
  const s = await startServer({ ...args, log: (line) => console.log(line) });
  console.log(`Serving ${s.root}`);
  console.log(`Open ${s.url}`);
  const stop = () => s.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
