/**
 * The parts of ECharts the manager's charts draw with: bars, lines, grid, legend, tooltip, SVG.
 * Loaded on demand by KpiChart, so only the manager page pays for them.
 */
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export { init };
