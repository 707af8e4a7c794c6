export { type ApiStorage, storageFromDatabase } from './api-storage.js';
export { type BuildAppOptions, buildApp } from './app.js';
export { chartUrl } from './presenters/chart-url.js';
