export {
  type ArchivedChartRecord,
  type ArchiveFacts,
  ChartArchiveRepository,
} from './chart-archive-repository.js';
export { type ByteRange, type ChartStore, isSha256, type StoredChart } from './chart-store.js';
export { FsChartStore } from './fs-chart-store.js';
export {
  type ChartGcReport,
  type ChartVerifyReport,
  collectUnreferencedCharts,
  verifyChartStore,
} from './gc.js';
