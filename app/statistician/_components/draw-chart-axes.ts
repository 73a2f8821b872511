import * as d3 from 'd3';

export interface ChartFrame {
  readonly width: number;
  readonly height: number;
  readonly margin: { readonly top: number; readonly right: number; readonly bottom: number; readonly left: number };
}

/**
 * The axis set-up the statistician's line charts share (decision curves, interim boundaries): clears
 * the svg, makes linear x and y scales over the frame, draws both axes, a dashed line at y = 0 and
 * the two axis titles, and returns the scales for the chart's own marks.
 */
export function drawChartAxes(
  svg: d3.Selection<SVGSVGElement | null, unknown, null, undefined>,
  frame: ChartFrame,
  axes: {
    readonly x: { readonly domain: readonly [number, number]; readonly ticks: number; readonly format?: (v: d3.NumberValue) => string; readonly title: string };
    readonly y: { readonly domain: readonly [number, number]; readonly ticks: number; readonly title: string };
  },
) {
  const { width: W, height: H, margin: M } = frame;
  svg.selectAll('*').remove();
  const x = d3
    .scaleLinear()
    .domain([...axes.x.domain])
    .range([M.left, W - M.right]);
  const y = d3
    .scaleLinear()
    .domain([...axes.y.domain])
    .range([H - M.bottom, M.top]);
  const bottom = d3.axisBottom(x).ticks(axes.x.ticks);
  if (axes.x.format) bottom.tickFormat(axes.x.format);
  svg
    .append('g')
    .attr('transform', `translate(0,${H - M.bottom})`)
    .call(bottom);
  svg.append('g').attr('transform', `translate(${M.left},0)`).call(d3.axisLeft(y).ticks(axes.y.ticks));
  svg
    .append('line')
    .attr('x1', M.left)
    .attr('x2', W - M.right)
    .attr('y1', y(0))
    .attr('y2', y(0))
    .attr('stroke', '#aab4c0')
    .attr('stroke-dasharray', '2,3');
  svg
    .append('text')
    .attr('x', (M.left + W - M.right) / 2)
    .attr('y', H - 8)
    .attr('text-anchor', 'middle')
    .attr('font-size', 13)
    .text(axes.x.title);
  svg
    .append('text')
    .attr('transform', `translate(16,${(M.top + H - M.bottom) / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .attr('font-size', 13)
    .text(axes.y.title);
  return { x, y };
}
