export { renderMarkdown } from './markdown.js';
export { renderHtml, escapeHtml } from './html.js';
export { summarize } from './model.js';
export type { ReportData, TestSummary, EntropyEstimate } from './model.js';
