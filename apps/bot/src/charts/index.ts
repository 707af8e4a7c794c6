export {
  type ArchiveOutcome,
  ChartArchiver,
  type ChartArchiverOptions,
  type RefusedChart,
} from './chart-archiver.js';
export {
  ChartDownloadError,
  type ChartDownloadOptions,
  type ChartDownloadProblem,
  downloadChart,
  isAllowedChartUrl,
} from './download-chart.js';
