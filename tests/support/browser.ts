/**
 * A real browser for tests: Debian's `chromium`, headless, offline (file:// pages only, every
 * background service off). `checkLayout` loads a page with a script that measures every SVG
 * label's box and reports labels that overlap each other, stick out of their SVG (clipped), or
 * stick out of the block they label. A missing chromium fails the test, never skips it: CI
 * installs it from .ci/apt-packages.txt (`make system-deps`).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requireTool } from "../components/nodeimage/tools";

export interface LayoutProblem {
  kind: "overlap" | "clipped" | "outside-block";
  text: string;
  other?: string;
}

/** Runs in the page: every <text> of every <svg>, measured by the browser. */
const MEASURE = `
(() => {
  const problems = [];
  const inside = (a, b) => a.left >= b.left - 0.5 && a.right <= b.right + 0.5 && a.top >= b.top - 0.5 && a.bottom <= b.bottom + 0.5;
  const overlap = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
  let count = 0;
  for (const svg of document.querySelectorAll("svg")) {
    const box = svg.getBoundingClientRect();
    const texts = [...svg.querySelectorAll("text")].filter((t) => t.textContent.trim() !== "");
    const boxes = texts.map((t) => ({ t, r: t.getBoundingClientRect() }));
    count += boxes.length;
    for (const { t, r } of boxes) {
      if (!inside(r, box)) problems.push({ kind: "clipped", text: t.textContent });
      const block = t.parentElement && t.parentElement.querySelector(":scope > rect");
      if (block && !inside(r, block.getBoundingClientRect())) problems.push({ kind: "outside-block", text: t.textContent });
    }
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++)
        if (overlap(boxes[i].r, boxes[j].r))
          problems.push({ kind: "overlap", text: boxes[i].t.textContent, other: boxes[j].t.textContent });
  }
  const pre = document.createElement("pre");
  pre.id = "layout-check";
  pre.textContent = JSON.stringify({ labels: count, problems });
  document.body.appendChild(pre);
})();
`;

function chromium(args: string[]): { stdout: string; stderr: string; status: number | null } {
  const bin = requireTool("chromium", "chromium");
  const profile = mkdtempSync(join(tmpdir(), "chromium-profile-"));
  const r = spawnSync(
    bin,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-default-apps",
      "--disable-extensions",
      "--metrics-recording-only",
      `--user-data-dir=${profile}`,
      "--window-size=1100,1600",
      ...args,
    ],
    { encoding: "utf8", timeout: 120_000 },
  );
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** Load the page in chromium and measure its labels. */
export function checkLayout(html: string): { labels: number; problems: LayoutProblem[] } {
  const dir = mkdtempSync(join(tmpdir(), "plan-page-"));
  const file = join(dir, "page.html");
  writeFileSync(file, html.replace("</body>", `<script>${MEASURE}</script></body>`));
  const r = chromium(["--virtual-time-budget=5000", "--dump-dom", `file://${file}`]);
  const m = /<pre id="layout-check">([^<]*)<\/pre>/.exec(r.stdout);
  if (!m?.[1])
    throw new Error(`chromium printed no layout check (status ${r.status}): ${r.stderr.slice(-2000)}`);
  return JSON.parse(
    m[1]
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, "&")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">"),
  );
}

/** A PNG screenshot of the page as chromium renders it. */
export function screenshot(html: string, png: string): void {
  const dir = mkdtempSync(join(tmpdir(), "plan-page-"));
  const file = join(dir, "page.html");
  writeFileSync(file, html);
  const r = chromium([`--screenshot=${png}`, `file://${file}`]);
  if (r.status !== 0) throw new Error(`chromium --screenshot failed (${r.status}): ${r.stderr.slice(-2000)}`);
}
