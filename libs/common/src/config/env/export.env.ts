import { IntEnv } from './env-decorators';

/** Exports (/api/v1/export): row caps and batch size. */
export class ExportEnv {
  /** Largest export accepted; a request whose range/step would exceed it gets 400 before any byte is sent. */
  @IntEnv({ min: 1, max: 100_000_000 }) EXPORT_MAX_ROWS = 1_000_000;

  /** PDF is laid out in memory (pdfmake), so a PDF table has its own, smaller cap. */
  @IntEnv({ min: 1, max: 100_000 }) EXPORT_PDF_MAX_ROWS = 5_000;

  /** Rows read and written per batch: what an export holds in memory at a time. */
  @IntEnv({ min: 100, max: 100_000 }) EXPORT_BATCH_ROWS = 5_000;
}
