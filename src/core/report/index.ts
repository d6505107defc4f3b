export { renderReport, type ReportInput, type ReportOutput } from './renderReport';
