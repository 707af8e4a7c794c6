export { type ApiStorage, apiStorageOf } from './api-storage.js';
export { type BuildAppOptions, buildApp } from './app.js';
export { type ChartUrlFor, chartsPublicBaseUrl, chartUrlFor } from './presenters/chart-url.js';
