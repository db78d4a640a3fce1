/**
 * The parts of ECharts the trend charts use, and nothing more: the core, the line chart, the
 * grid, legend and mark-line components and the canvas renderer, named one by one so the
 * bundler leaves the other charts and components out (imported whole, `echarts/charts` and
 * `echarts/components` added about 160 kB gzip to every page with a chart). Loaded by
 * TrendChart with import() when a chart mounts.
 */
import { init, use } from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([LineChart, GridComponent, LegendComponent, MarkLineComponent, CanvasRenderer]);

export { init };
