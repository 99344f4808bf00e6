import { Controller, Get, Logger, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  CurrentPrincipal,
  CurrentScope,
  DomainError,
  ErrorCode,
  KeyQuota,
  type Principal,
  type TenantScope,
} from '@kcloud/common';
import { EXPORT_DATASETS } from './datasets/export-dataset.enum';
import { EXPORT_BASE_PATH } from './export-url';
import { ExportService } from './export.service';
import { EXPORT_FORMATS, FORMAT_INFO } from './formats/export-format';
import { ExportQueryDto } from './request/export-query.dto';

/** RFC 6266: a plain ASCII name (ours always is) plus the RFC 5987 form for strict clients. */
function contentDisposition(fileName: string): string {
  return `attachment; filename="${fileName}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/**
 * `GET /api/v1/export/{dataset}?format=&from=&to=&period=&step=&cluster=&namespace=&lineEnding=`: streams the file.
 * The query is taken raw and validated by the service, so every 400 names its parameter. HEAD answers the same status
 * and headers without producing the file. A key runs at most MAX_EXPORTS_PER_KEY exports at once (429 past it); the
 * slot is given back when the file is out, the request fails or the client goes away.
 */
@ApiTags('export')
@Controller(EXPORT_BASE_PATH.slice(1))
export class ExportController {
  private readonly logger = new Logger(ExportController.name);

  constructor(
    private readonly exports: ExportService,
    private readonly quota: KeyQuota,
  ) {}

  @Get(':dataset')
  @ApiOperation({
    summary: 'Download a dataset as a file (streamed)',
    description:
      "Scoped to the caller's key; unknown parameters are refused (400 naming them). HEAD answers the same status and headers without the file.",
  })
  @ApiParam({ name: 'dataset', enum: EXPORT_DATASETS })
  @ApiQuery({ type: ExportQueryDto })
  @ApiProduces(...EXPORT_FORMATS.map((f) => mediaTypeOf(FORMAT_INFO[f].contentType)))
  @ApiResponse({ status: 200, description: 'The file (Content-Disposition: attachment)' })
  @ApiResponse({ status: 400, description: 'A parameter is invalid; the JSON body names it' })
  @ApiResponse({ status: 401, description: 'No or unknown credentials' })
  @ApiResponse({ status: 429, description: 'Rate limit or MAX_EXPORTS_PER_KEY reached' })
  async download(
    @Param('dataset') dataset: string,
    @Query() query: Record<string, unknown>,
    @CurrentScope() scope: TenantScope,
    @CurrentPrincipal() principal: Principal | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const claim = this.quota.claim(principal, 'exports');
    if (!claim.ok) throw new DomainError(ErrorCode.RATE_LIMITED, claim.message, { limit: claim.setting });
    // Released when the response closes (file out or client gone), and in `finally` should it never have opened.
    res.once('close', () => claim.lease.release());
    try {
      await this.stream(dataset, query, scope, req, res);
    } finally {
      claim.lease.release();
    }
  }

  private async stream(
    dataset: string,
    query: Record<string, unknown>,
    scope: TenantScope,
    req: Request,
    res: Response,
  ): Promise<void> {
    const abort = new AbortController();
    // The response closes when the file is out or when the client went away; only the latter stops the work.
    // (The request's own `close` fires as soon as its empty body is read, so it cannot tell the two apart.)
    res.on('close', () => {
      if (!res.writableFinished) abort.abort(new Error('client closed the connection'));
    });
    try {
      const prepared = await this.exports.prepare({ ...query, dataset }, scope, abort.signal);
      res.status(200);
      res.setHeader('Content-Type', prepared.contentType);
      res.setHeader('Content-Disposition', contentDisposition(prepared.fileName));
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      // HEAD (Express routes it here): the same validation, headers and first read as GET, and no file.
      if (req.method === 'HEAD') {
        await prepared.discard();
        res.end();
        return;
      }
      await prepared.writeTo(res, abort.signal);
    } catch (error) {
      if (abort.signal.aborted) {
        this.logger.log(`export of ${dataset} stopped: the client went away`);
        res.destroy();
        return;
      }
      // An error answered as JSON must not keep the attachment header of the file it replaces.
      if (!res.headersSent) res.removeHeader('Content-Disposition');
      throw error;
    }
  }
}

/** `text/csv; header=present` → `text/csv`. */
function mediaTypeOf(contentType: string): string {
  return contentType.split(';', 1)[0] ?? contentType;
}
