// SPDX-License-Identifier: MIT
// ECharts with only what the app draws (bar charts and the audit heat map on a canvas), so the
// bundle stays small. Loaded on demand by the pages that chart something.
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, HeatmapChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export { echarts };
