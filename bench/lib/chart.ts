/**
 * Grouped bar charts as standalone SVG files (no dependencies), so benchmark results are images a
 * reader can look at in the repository.
 */
export interface BarChart {
  title: string;
  unit: string;
  /** Group labels along the x axis (e.g. "1000 clients"). */
  groups: string[];
  /** One series per compared system; values[i] belongs to groups[i]. */
  series: Array<{ name: string; values: number[] }>;
  /** Optional horizontal goal line. */
  goal?: { value: number; label: string };
}

const COLORS = ['#3b6fd8', '#e07b39', '#4aa564', '#9b59b6', '#c0392b', '#7f8c8d'];
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const fmt = (v: number) => (v >= 100 ? Math.round(v).toLocaleString('en') : v >= 10 ? v.toFixed(1) : v.toFixed(2));

export function barChartSvg(c: BarChart): string {
  const W = 760;
  const H = 380;
  const left = 70;
  const top = 50;
  const bottom = 60;
  const plotW = W - left - 20;
  const plotH = H - top - bottom;
  const max = Math.max(1e-9, ...c.series.flatMap((s) => s.values.filter(Number.isFinite)), c.goal?.value ?? 0) * 1.15;
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const groupW = plotW / c.groups.length;
  const barW = Math.min(60, (groupW * 0.8) / c.series.length);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${W / 2}" y="24" text-anchor="middle" font-size="16" font-weight="600">${esc(c.title)}</text>`,
    `<text x="16" y="${top + plotH / 2}" transform="rotate(-90 16 ${top + plotH / 2})" text-anchor="middle" fill="#555">${esc(c.unit)}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const v = (max / 1.15) * (i / 4);
    out.push(`<line x1="${left}" x2="${W - 20}" y1="${y(v)}" y2="${y(v)}" stroke="#e5e5e5"/>`, `<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" fill="#555">${fmt(v)}</text>`);
  }
  c.groups.forEach((g, gi) => {
    const x0 = left + gi * groupW + (groupW - barW * c.series.length) / 2;
    c.series.forEach((s, si) => {
      const v = s.values[gi] ?? NaN;
      const x = x0 + si * barW;
      if (Number.isFinite(v)) {
        out.push(`<rect x="${x + 2}" y="${y(v)}" width="${barW - 4}" height="${top + plotH - y(v)}" fill="${COLORS[si % COLORS.length]}"/>`);
        out.push(`<text x="${x + barW / 2}" y="${y(v) - 4}" text-anchor="middle" font-size="11">${fmt(v)}</text>`);
      } else {
        out.push(`<text x="${x + barW / 2}" y="${top + plotH - 4}" text-anchor="middle" font-size="11" fill="#999">n/a</text>`);
      }
    });
    out.push(`<text x="${left + gi * groupW + groupW / 2}" y="${top + plotH + 18}" text-anchor="middle">${esc(g)}</text>`);
  });
  if (c.goal) {
    out.push(`<line x1="${left}" x2="${W - 20}" y1="${y(c.goal.value)}" y2="${y(c.goal.value)}" stroke="#c0392b" stroke-dasharray="6 4"/>`);
    out.push(`<text x="${W - 22}" y="${y(c.goal.value) - 5}" text-anchor="end" fill="#c0392b">${esc(c.goal.label)}</text>`);
  }
  c.series.forEach((s, si) => {
    const x = left + si * 170;
    out.push(`<rect x="${x}" y="${H - 22}" width="12" height="12" fill="${COLORS[si % COLORS.length]}"/>`, `<text x="${x + 18}" y="${H - 12}">${esc(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}
