/**
 * A chart: ECharts core with only the pieces our pages use (bar, pie, line, heat map with its
 * visual map), so a page loads a fraction of the full library, and only when it is opened (each page
 * that draws a chart is its own chunk).
 */
import { BarChart, HeatmapChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([
  BarChart,
  PieChart,
  LineChart,
  HeatmapChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

/** What a click on a data item reports (series and data indexes, the item's value). */
export interface ChartClick {
  seriesIndex?: number;
  dataIndex: number;
  value: unknown;
  name: string;
}

export function EChart({
  option,
  height = 260,
  ariaLabel,
  onClick,
}: {
  option: ChartOption;
  height?: number;
  ariaLabel: string;
  onClick?: (e: ChartClick) => void;
}) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const clickRef = useRef(onClick);
  clickRef.current = onClick;
  useEffect(() => {
    if (!el.current) return;
    chart.current = echarts.init(el.current, undefined, { renderer: 'canvas' });
    chart.current.on('click', (e) => clickRef.current?.(e as unknown as ChartClick));
    const ro = new ResizeObserver(() => chart.current?.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [option]);
  return <div ref={el} role="img" aria-label={ariaLabel} style={{ width: '100%', height }} />;
}
