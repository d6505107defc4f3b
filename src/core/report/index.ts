export { renderReport, type ReportInput } from './renderReport';
