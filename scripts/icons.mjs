// Draws the web app's PNG icons (static/icon-192.png, static/icon-512.png)
// from static/favicon.svg in headless Chromium. Run by hand when the icon
// changes (`node scripts/icons.mjs`); the PNGs are committed.
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const svg = readFileSync('static/favicon.svg', 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
for (const size of [192, 512]) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(`<style>html,body{margin:0;background:transparent}</style>${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}`);
  await page.screenshot({ path: `static/icon-${size}.png`, omitBackground: true });
  await page.close();
}
await browser.close();
