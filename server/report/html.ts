/**
 * The report as one self-contained HTML page: inline CSS and inline SVG plots (a P-value histogram per
 * SP 800-22 test, bars of the proportion passing per test against the §4.2.1 range, SP 800-90B estimates
 * per source), no script, no external resource — a Content-Security-Policy of default-src 'none' says
 * so to the browser. All text is escaped.
 */
import { summarize, type ReportData, type TestSummary } from './model.js';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const fmt = (x: number, d = 4): string => (Number.isFinite(x) ? x.toFixed(d) : String(x));

function histogramSvg(r: TestSummary): string {
  const w = 220;
  const h = 90;
  const max = Math.max(1, ...r.histogram);
  const bw = w / 10;
  const bars = r.histogram
    .map((c, i) => {
      const bh = ((h - 16) * c) / max;
      return `<rect x="${(i * bw + 1).toFixed(1)}" y="${(h - 14 - bh).toFixed(1)}" width="${(bw - 2).toFixed(1)}" height="${bh.toFixed(1)}"><title>${(i / 10).toFixed(1)}–${((i + 1) / 10).toFixed(1)}: ${c}</title></rect>`;
    })
    .join('');
  return `<svg class="hist" role="img" aria-label="P-value histogram of ${escapeHtml(r.test)}" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}">${bars}<text x="0" y="${h - 2}">0</text><text x="${w - 8}" y="${h - 2}">1</text></svg>`;
}

function proportionBars(rows: readonly TestSummary[]): string {
  const w = 640;
  const rowH = 20;
  const left = 190;
  const lo = 0.9;
  const x = (p: number): number => left + ((Math.max(lo, Math.min(1, p)) - lo) / (1 - lo)) * (w - left - 10);
  const applicable = rows.filter((r) => r.slots > 0);
  const h = applicable.length * rowH + 24;
  const body = applicable
    .map((r, i) => {
      const y = i * rowH + 4;
      const cls = r.proportionFailures ? 'bad' : 'good';
      return `<text x="0" y="${y + 13}">${escapeHtml(r.test)}</text><rect class="${cls}" x="${left}" y="${y}" width="${(x(r.minProportion) - left).toFixed(1)}" height="${rowH - 6}"><title>${escapeHtml(r.test)}: min proportion ${fmt(r.minProportion)}</title></rect><line class="range" x1="${x(r.range[0]).toFixed(1)}" x2="${x(r.range[0]).toFixed(1)}" y1="${y - 2}" y2="${y + rowH - 4}"/>`;
    })
    .join('');
  return `<svg class="bars" role="img" aria-label="proportion passing per test" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}">${body}<text x="${left}" y="${h - 4}">${lo}</text><text x="${w - 24}" y="${h - 4}">1.0</text></svg>`;
}

function entropyBars(data: ReportData): string {
  return data.entropy
    .map((e) => {
      const ests = [
        ...e.assessment.original,
        ...e.assessment.bitstring.map((b) => ({
          ...b,
          estimator: `bitstring:${b.estimator}`,
          minEntropy: b.minEntropy * e.assessment.bitsPerSymbol,
        })),
      ];
      const w = 560;
      const rowH = 18;
      const left = 170;
      const max = e.assessment.bitsPerSymbol;
      const h = ests.length * rowH + 8;
      const body = ests
        .map((x, i) => {
          const y = i * rowH + 2;
          const bw = ((w - left - 60) * Math.max(0, x.minEntropy)) / max;
          return `<text x="0" y="${y + 12}">${escapeHtml(x.estimator)}</text><rect x="${left}" y="${y}" width="${bw.toFixed(1)}" height="${rowH - 5}"/><text x="${(left + bw + 4).toFixed(1)}" y="${y + 12}">${fmt(x.minEntropy, 3)}</text>`;
        })
        .join('');
      return `<h3>${escapeHtml(e.source)}: ${fmt(e.assessment.minEntropy)} bits per ${e.assessment.bitsPerSymbol}-bit sample (limited by ${escapeHtml(e.assessment.limitedBy)}; ${e.samples} samples)</h3><svg class="bars" role="img" aria-label="SP 800-90B estimates for ${escapeHtml(e.source)}" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}">${body}</svg>`;
    })
    .join('');
}

export function renderHtml(data: ReportData): string {
  const rows = summarize(data);
  const testRows = rows
    .map(
      (r) =>
        `<tr class="${r.verdict === 'fail' ? 'bad' : ''}"><td>${escapeHtml(r.test)}</td><td>${r.slots}</td><td>${r.slots ? fmt(r.minProportion) : '—'}</td><td>${fmt(r.range[0])}</td><td>${r.minUniformityP === undefined ? 'n/a' : fmt(r.minUniformityP, 6)}</td><td>${r.proportionFailures + r.uniformityFailures}</td><td>${fmt(r.ms, 1)}</td><td>${r.verdict}</td><td>${histogramSvg(r)}</td></tr>`,
    )
    .join('\n');
  const h = data.health;
  const health = h
    ? `<h2>Health tests and generator counters</h2><p>State <b>${escapeHtml(h.state)}</b>${h.reason ? ` (${escapeHtml(h.reason)})` : ''}; HMAC_DRBG ${escapeHtml(h.hash)}; ${h.counters.reseeds} reseeds; ${h.counters.bytes} bytes in ${h.counters.requests} requests.</p><table><tr><th>source</th><th>kind</th><th>state</th><th>start-up</th><th>credit bits/byte</th><th>reads</th><th>bytes read</th><th>alarms</th><th>last failure</th></tr>${h.sources
        .map(
          (s) =>
            `<tr><td>${escapeHtml(s.id)}</td><td>${s.kind}</td><td>${escapeHtml(s.state)}</td><td>${s.startup}</td><td>${fmt(s.creditBitsPerByte, 2)}</td><td>${s.reads}</td><td>${s.bytesRead}</td><td>${s.alarms}</td><td>${s.lastFailure ? escapeHtml(`${s.lastFailure.test} ${s.lastFailure.observed}/${s.lastFailure.cutoff}`) : '—'}</td></tr>`,
        )
        .join('')}</table>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(data.title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}
td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:middle}tr.bad td{background:#fde}
svg text{font-size:11px;fill:#333}svg.hist rect{fill:#4a7bd0}svg.bars rect{fill:#4a7bd0}svg.bars rect.bad{fill:#d04a4a}
svg line.range{stroke:#000;stroke-width:2}
</style></head><body>
<h1>${escapeHtml(data.title)}</h1>
<p>Generated ${escapeHtml(data.generatedAt)}. Input: ${escapeHtml(data.input)}; <span id="sequences">${data.results.length}</span> sequence(s) of ${data.bitsPerSequence} bits; α = ${data.alpha}; ${fmt(data.wallSeconds, 1)} s.</p>
<h2>NIST SP 800-22 Rev. 1a</h2>
<table id="sts"><tr><th>test</th><th>P-values per sequence</th><th>min proportion</th><th>lower bound (§4.2.1)</th><th>min P_T (§4.2.2)</th><th>slots out of bounds</th><th>ms/sequence</th><th>verdict</th><th>P-value histogram</th></tr>
${testRows}
</table>
<h2>Proportion passing per test</h2>
${proportionBars(rows)}
<h2>SP 800-90B min-entropy estimates of the raw sources</h2>
${data.entropy.length ? entropyBars(data) : '<p>No raw source is available here.</p>'}
${health}
</body></html>
`;
}
