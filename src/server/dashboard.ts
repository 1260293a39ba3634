import fs from 'node:fs';
import path from 'node:path';
import type { Express, Response } from 'express';

/**
 * The department dashboard: a static page (HTML, one hand-written script, CSS, an icon) that asks for a
 * token and calls only /graphql with the operations of schema/operations/dashboard.graphql. The
 * files are read from the repository, two levels up from this module whether it runs from src/
 * (tests) or dist/ (`npm start`), once when the hub starts.
 */
const ROOT = path.resolve(__dirname, '..', '..');
export const DASHBOARD_ASSETS = path.join(ROOT, 'src', 'server', 'dashboard-page');
export const DASHBOARD_OPERATIONS = path.join(ROOT, 'schema', 'operations', 'dashboard.graphql');

/** Only the hub itself: no inline script or style, no other origin, no framing. */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  readonly body: string;
  readonly type: string;
}

function readAsset(file: string, type: string): Asset {
  try {
    return { body: fs.readFileSync(file, 'utf8'), type };
  } catch (error) {
    throw new Error(`The dashboard file ${path.relative(ROOT, file)} is missing: run the hub from a full checkout (${(error as Error).message})`);
  }
}

function send(res: Response, asset: Asset): void {
  res.set({
    'Content-Type': asset.type,
    'Content-Security-Policy': DASHBOARD_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  });
  res.send(asset.body);
}

/** Serves the page at /dashboard and its files under /dashboard/. */
export function mountDashboard(app: Express): void {
  const page = readAsset(path.join(DASHBOARD_ASSETS, 'index.html'), 'text/html; charset=utf-8');
  const files: Record<string, Asset> = {
    'dashboard.js': readAsset(path.join(DASHBOARD_ASSETS, 'dashboard.js'), 'text/javascript; charset=utf-8'),
    'dashboard.css': readAsset(path.join(DASHBOARD_ASSETS, 'dashboard.css'), 'text/css; charset=utf-8'),
    'favicon.svg': readAsset(path.join(DASHBOARD_ASSETS, 'favicon.svg'), 'image/svg+xml'),
    'operations.graphql': readAsset(DASHBOARD_OPERATIONS, 'application/graphql; charset=utf-8'),
  };
  app.get(['/dashboard', '/dashboard/'], (_req, res) => send(res, page));
  app.get('/dashboard/:file', (req, res) => {
    const asset = Object.hasOwn(files, req.params.file) ? files[req.params.file] : undefined;
    if (asset) send(res, asset);
    else res.status(404).type('text/plain').send('Not found');
  });
}
