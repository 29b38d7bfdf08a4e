/**
 * The parts of ECharts the scrap Pareto draws with, and nothing else: bars, a line, grid, legend,
 * tooltip, SVG. Loaded on demand by ScrapParetoChart, only on the quality page.
 */
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export { init };
