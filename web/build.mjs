// Bundles the UI into <out>/index.html and <out>/assets/app.{js,css}.
// Run by CMake (src/CMakeLists.txt); `node build.mjs [out]` by hand.
// The output is deterministic (no hashes, no timestamps), so an unchanged UI
// gives an unchanged binary.
import * as esbuild from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const out = resolve(process.argv[2] || 'dist');
mkdirSync(join(out, 'assets'), { recursive: true });

await esbuild.build({
  entryPoints: { app: 'src/main.jsx' },
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir: join(out, 'assets'),
  legalComments: 'none',
  logLevel: 'warning',
});

// No inline script or style: the server's CSP allows neither.
writeFileSync(join(out, 'index.html'), `<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kalm</title>
<link rel="stylesheet" href="/assets/app.css">
<script defer src="/assets/app.js"></script>
</head>
<body>
<div id="app"><noscript>kalm needs JavaScript.</noscript></div>
</body>
</html>
`);
