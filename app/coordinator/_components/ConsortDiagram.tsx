'use client';
import * as d3 from 'd3';
import { useEffect, useRef } from 'react';
import type { ConsortCounts, ReasonCount } from '@/server/domain/enrollment/consort-counts';

interface Line {
  readonly text: string;
  readonly strong?: boolean;
}
interface Box {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly lines: readonly Line[];
  readonly tone?: 'main' | 'side';
}

const WIDTH = 980;
const LINE = 17;
const PAD = 9;
const GAP = 34;

const boxHeight = (lines: readonly Line[]) => PAD * 2 + lines.length * LINE;
const reasonLines = (reasons: readonly ReasonCount[]): Line[] => reasons.map((r) => ({ text: `• ${r.label} (n = ${r.n})` }));

/** Boxes and arrows of the diagram in a WIDTH-wide coordinate system; the height follows the content. */
export function layoutConsort(c: ConsortCounts): { boxes: Box[]; arrows: [number, number, number, number][]; height: number } {
  const boxes: Box[] = [];
  const arrows: [number, number, number, number][] = [];
  const mainW = 300;
  const cx = WIDTH / 2;
  let y = 10;

  const assessed: Line[] = [{ text: 'Enrollment', strong: true }, { text: `Assessed for eligibility (n = ${c.assessed})` }];
  boxes.push({ id: 'assessed', x: cx - mainW / 2, y, w: mainW, h: boxHeight(assessed), lines: assessed, tone: 'main' });
  y += boxHeight(assessed) + GAP;

  const excluded: Line[] = [{ text: `Excluded (n = ${c.excluded})`, strong: true }, ...reasonLines(c.exclusionReasons)];
  const waiting: Line[] = [{ text: `Awaiting randomization (n = ${c.awaitingRandomization})`, strong: true }, { text: 'enrolled, not yet randomized' }];
  const sideY = y;
  const sideW = 300;
  const excludedBox: Box = { id: 'excluded', x: cx + 40, y: sideY, w: sideW, h: boxHeight(excluded), lines: excluded, tone: 'side' };
  const waitingBox: Box = { id: 'awaiting', x: cx - 40 - sideW, y: sideY, w: sideW, h: boxHeight(waiting), lines: waiting, tone: 'side' };
  boxes.push(excludedBox, waitingBox);
  const sideBottom = sideY + Math.max(excludedBox.h, waitingBox.h);
  const branchY = sideY + 18;
  arrows.push([cx, y - GAP, cx, sideBottom + GAP - 2]);
  arrows.push([cx, branchY, excludedBox.x - 2, branchY]);
  arrows.push([cx, branchY, waitingBox.x + waitingBox.w + 2, branchY]);
  y = sideBottom + GAP;

  const randomized: Line[] = [{ text: `Randomized (n = ${c.randomized})`, strong: true }];
  boxes.push({ id: 'randomized', x: cx - mainW / 2, y, w: mainW, h: boxHeight(randomized), lines: randomized, tone: 'main' });
  const randomizedBottom = y + boxHeight(randomized);
  y = randomizedBottom + GAP;

  const k = Math.max(1, c.arms.length);
  const colW = Math.min(420, (WIDTH - 20 - (k - 1) * 30) / k);
  const totalW = k * colW + (k - 1) * 30;
  const left = (WIDTH - totalW) / 2;
  const rows = ['allocation', 'followup', 'analysis'] as const;
  const armLines = c.arms.map((arm) => ({
    allocation: [{ text: 'Allocation', strong: true }, { text: `Allocated to ${arm.label} (n = ${arm.allocated})` }],
    followup: [
      { text: 'Follow-up', strong: true },
      { text: `Withdrawn (n = ${arm.withdrawn})` },
      ...reasonLines(arm.withdrawnReasons),
      { text: `Lost to follow-up (n = ${arm.lostToFollowUp})` },
      ...reasonLines(arm.lostReasons),
      { text: `Protocol deviations (n = ${arm.protocolDeviations})` },
      ...reasonLines(arm.deviationReasons),
    ],
    analysis: [{ text: 'Analysis', strong: true }, { text: `Analysed (n = ${arm.analysed})` }],
  }));
  // A trial without a design has no arms yet: the diagram ends at randomization.
  if (armLines.length === 0) return { boxes, arrows, height: randomizedBottom + 10 };
  for (const row of rows) {
    const h = Math.max(...armLines.map((a) => boxHeight(a[row])));
    armLines.forEach((a, i) => {
      const x = left + i * (colW + 30);
      boxes.push({ id: `${row}-${c.arms[i]!.arm}`, x, y, w: colW, h, lines: a[row], tone: 'main' });
      if (row === 'allocation') {
        arrows.push([cx, randomizedBottom, x + colW / 2, y - 2]);
      } else {
        arrows.push([x + colW / 2, y - GAP, x + colW / 2, y - 2]);
      }
    });
    y += h + GAP;
  }
  return { boxes, arrows, height: y - GAP + 10 };
}

/**
 * The CONSORT 2010 flow diagram (enrollment, allocation, follow-up, analysis) drawn with d3 from the
 * server's counts. Every reason category is drawn, n = 0 included. When the viewer is blinded the
 * server folds the arms into one column and the diagram draws that one column.
 */
export function ConsortDiagram({ counts }: { counts: ConsortCounts }) {
  const ref = useRef<SVGSVGElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const { boxes, arrows, height } = layoutConsort(counts);
    const svg = d3.select(ref.current).attr('viewBox', `0 0 ${WIDTH} ${height}`);
    svg.selectAll('*').remove();
    svg
      .append('defs')
      .append('marker')
      .attr('id', 'consort-arrow')
      .attr('viewBox', '0 0 10 10')
      .attr('refX', 9)
      .attr('refY', 5)
      .attr('markerWidth', 7)
      .attr('markerHeight', 7)
      .attr('orient', 'auto-start-reverse')
      .append('path')
      .attr('d', 'M 0 0 L 10 5 L 0 10 z')
      .attr('fill', '#5b6778');
    svg
      .append('g')
      .selectAll('line')
      .data(arrows)
      .join('line')
      .attr('x1', (a) => a[0])
      .attr('y1', (a) => a[1])
      .attr('x2', (a) => a[2])
      .attr('y2', (a) => a[3])
      .attr('stroke', '#5b6778')
      .attr('stroke-width', 1.3)
      .attr('marker-end', 'url(#consort-arrow)');
    const group = svg
      .append('g')
      .selectAll('g')
      .data(boxes, (b) => (b as Box).id)
      .join('g')
      .attr('data-box', (b) => b.id)
      .attr('transform', (b) => `translate(${b.x},${b.y})`);
    group
      .append('rect')
      .attr('width', (b) => b.w)
      .attr('height', (b) => b.h)
      .attr('rx', 5)
      .attr('fill', (b) => (b.tone === 'side' ? '#f7f9fc' : '#ffffff'))
      .attr('stroke', (b) => (b.tone === 'side' ? '#9fb0c3' : '#1f5fa8'))
      .attr('stroke-width', 1.2);
    group
      .append('text')
      .attr('font-size', 13)
      .attr('fill', '#1b2430')
      .selectAll('tspan')
      .data((b) => b.lines)
      .join('tspan')
      .attr('x', PAD)
      .attr('y', (_, i) => PAD + 13 + i * LINE)
      .attr('font-weight', (l) => (l.strong ? 600 : 400))
      .attr('fill', (l) => (l.text.endsWith('(n = 0)') && l.text.startsWith('•') ? '#5b6778' : '#1b2430'))
      .text((l) => l.text);
  }, [counts]);
  const summary = `CONSORT flow: ${counts.assessed} assessed, ${counts.excluded} excluded, ${counts.awaitingRandomization} awaiting randomization, ${counts.randomized} randomized${counts.arms.map((a) => `; ${a.label} ${a.allocated} allocated, ${a.analysed} analysed`).join('')}.`;
  return (
    <figure className="consort" style={{ margin: 0 }}>
      <svg ref={ref} role="img" aria-label={summary} data-testid="consort-diagram" style={{ width: '100%', height: 'auto', display: 'block' }} />
      <figcaption className="muted" data-testid="consort-summary">
        {summary}
      </figcaption>
    </figure>
  );
}
