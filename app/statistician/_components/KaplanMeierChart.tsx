'use client';
import * as d3 from 'd3';
import { useEffect, useRef } from 'react';

export interface KmSeries {
  readonly key: string;
  readonly label: string;
  readonly color: string;
  readonly steps: readonly { readonly time: number; readonly surv: number; readonly lower: number; readonly upper: number; readonly nCensor: number }[];
  /** Numbers at risk at `riskTimes`. */
  readonly atRisk: readonly number[];
}

const W = 620;
// The left margin holds the arm labels of the numbers-at-risk rows.
const M = { top: 16, right: 18, bottom: 46, left: 110 };
const PLOT_H = 300;
const ROW_H = 18;

/**
 * Kaplan–Meier curves (right-continuous steps) per arm with log-log pointwise bands, censoring
 * marks (+) and the numbers at risk under the time axis, one row per arm — the layout of
 * survminer's ggsurvplot(risk.table = TRUE) and of Morris et al. (2019).
 */
export function KaplanMeierChart({
  title,
  series,
  riskTimes,
  timeLabel = 'Months since randomization',
}: {
  title: string;
  series: readonly KmSeries[];
  riskTimes: readonly number[];
  timeLabel?: string;
}) {
  const ref = useRef<SVGSVGElement>(null);
  const H = M.top + PLOT_H + M.bottom + 22 + ROW_H * series.length + 6;
  useEffect(() => {
    const svg = d3.select(ref.current);
    svg.selectAll('*').remove();
    const maxTime = Math.max(1, ...riskTimes, ...series.flatMap((s) => s.steps.map((p) => p.time)));
    const x = d3
      .scaleLinear()
      .domain([0, maxTime])
      .range([M.left, W - M.right]);
    const y = d3
      .scaleLinear()
      .domain([0, 1])
      .range([M.top + PLOT_H, M.top]);
    const axisY = M.top + PLOT_H;
    svg
      .append('g')
      .attr('transform', `translate(0,${axisY})`)
      .call(
        d3
          .axisBottom(x)
          .tickValues([...riskTimes])
          .tickFormat(d3.format('d')),
      );
    svg
      .append('g')
      .attr('transform', `translate(${M.left},0)`)
      .call(d3.axisLeft(y).ticks(5).tickFormat(d3.format('.0%')));
    svg
      .append('text')
      .attr('x', (M.left + W - M.right) / 2)
      .attr('y', axisY + 36)
      .attr('text-anchor', 'middle')
      .attr('font-size', 13)
      .text(timeLabel);
    svg
      .append('text')
      .attr('transform', `translate(${M.left - 44},${M.top + PLOT_H / 2}) rotate(-90)`)
      .attr('text-anchor', 'middle')
      .attr('font-size', 13)
      .text('Survival probability');
    for (const s of series) {
      // Step path starting at (0, 1); each step drops at its time.
      const pts: [number, number, number, number][] = [[0, 1, 1, 1]];
      for (const p of s.steps) pts.push([p.time, p.surv, p.lower, p.upper]);
      const stepLine = (value: (p: [number, number, number, number]) => number) =>
        d3
          .line<[number, number, number, number]>()
          .x((p) => x(p[0]))
          .y((p) => y(value(p)))
          .curve(d3.curveStepAfter);
      const band = d3
        .area<[number, number, number, number]>()
        .x((p) => x(p[0]))
        .y0((p) => y(p[2]))
        .y1((p) => y(p[3]))
        .curve(d3.curveStepAfter);
      svg.append('path').attr('class', 'ci-band').attr('d', band(pts)).attr('fill', s.color).attr('opacity', 0.14);
      svg
        .append('path')
        .attr('class', 'km-curve')
        .attr('data-arm', s.key)
        .attr('d', stepLine((p) => p[1])(pts))
        .attr('fill', 'none')
        .attr('stroke', s.color)
        .attr('stroke-width', 2);
      svg
        .append('g')
        .selectAll('text')
        .data(s.steps.filter((p) => p.nCensor > 0))
        .join('text')
        .attr('class', 'censor-mark')
        .attr('x', (p) => x(p.time))
        .attr('y', (p) => y(p.surv) + 4)
        .attr('text-anchor', 'middle')
        .attr('font-size', 11)
        .attr('fill', s.color)
        .text('+');
    }
    const legend = svg.append('g').attr('transform', `translate(${W - M.right - 200},${M.top + 6})`);
    series.forEach((s, i) => {
      const g = legend.append('g').attr('transform', `translate(0,${i * 18})`);
      g.append('line').attr('x1', 0).attr('x2', 22).attr('y1', 6).attr('y2', 6).attr('stroke', s.color).attr('stroke-width', 2.5);
      g.append('text').attr('x', 28).attr('y', 10).attr('font-size', 12).text(s.label);
    });
    const table = svg
      .append('g')
      .attr('class', 'risk-table')
      .attr('transform', `translate(0,${axisY + 58})`);
    table.append('text').attr('x', 4).attr('y', 0).attr('font-size', 12).attr('font-weight', 600).text('Number at risk');
    series.forEach((s, i) => {
      const row = table
        .append('g')
        .attr('transform', `translate(0,${(i + 1) * ROW_H})`)
        .attr('data-arm', s.key);
      row
        .append('text')
        .attr('x', 4)
        .attr('y', 0)
        .attr('font-size', 11)
        .attr('fill', s.color)
        .text(s.label.length > 14 ? `${s.label.slice(0, 13)}…` : s.label);
      riskTimes.forEach((t, k) => {
        row
          .append('text')
          .attr('class', 'at-risk')
          .attr('x', x(t))
          .attr('y', 0)
          .attr('text-anchor', 'middle')
          .attr('font-size', 11)
          .text(String(s.atRisk[k] ?? ''));
      });
    });
  }, [series, riskTimes, timeLabel, H]);
  return (
    <figure className="chart" data-chart="kaplan-meier">
      <svg ref={ref} viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={title} />
      <figcaption>{title}</figcaption>
    </figure>
  );
}
