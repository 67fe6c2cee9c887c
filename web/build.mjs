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

// The tab's icon: a calm wave on kalm's green.
writeFileSync(join(out, 'assets', 'icon.svg'), `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">
<rect width="64" height="64" rx="14" fill="#2f6f5e"/>
<path d="M12 38c8-10 14-10 20 0s12 10 20 0" fill="none" stroke="#fff" stroke-width="6" stroke-linecap="round"/>
</svg>
`);

// No inline script or style: the server's CSP allows neither.
writeFileSync(join(out, 'index.html'), `<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kalm</title>
<link rel="icon" href="/assets/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/app.css">
<script defer src="/assets/app.js"></script>
</head>
<body>
<div id="app"><noscript>kalm needs JavaScript.</noscript></div>
</body>
</html>
`);
