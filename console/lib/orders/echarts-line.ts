/**
 * The parts of ECharts the ETA chart draws with, and nothing else: line series, grid, legend,
 * markLine, tooltip, SVG. Loaded on demand by EtaHistoryChart, so the order page's own code and
 * data come first and the chart (most of the page's bytes) follows.
 */
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

use([LineChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, SVGRenderer]);

export { init };
