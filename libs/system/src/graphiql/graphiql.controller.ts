import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AppConfig, DomainError, ErrorCode, notFound, Public } from '@kcloud/common';
import {
  GRAPHIQL_ASSETS,
  GRAPHIQL_PAGE,
  GRAPHIQL_START,
  type GraphiqlAsset,
  graphiqlAssetPath,
} from './graphiql-assets';

/**
 * GraphiQL at /graphiql, served from node_modules (Apollo's and Nest's landing pages load from a CDN, which a cluster
 * without internet cannot reach). On by default in development, off in production (GRAPHIQL). The page itself is
 * public: it holds no data, and every query it sends carries the caller's own key.
 */
@Public()
@Controller('graphiql')
export class GraphiqlController {
  constructor(private readonly config: AppConfig) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(): string {
    this.assertEnabled();
    if (!graphiqlAssetPath('graphiql.js'))
      throw new DomainError(
        ErrorCode.NOT_SUPPORTED,
        'GraphiQL is not installed in this build (it is a development dependency: npm ci without --omit=dev)',
      );
    return GRAPHIQL_PAGE;
  }

  @Get('assets/:name')
  asset(@Param('name') name: string, @Res() res: Response): void {
    this.assertEnabled();
    if (name === 'start.js') {
      res.type('text/javascript').send(GRAPHIQL_START);
      return;
    }
    const path = Object.hasOwn(GRAPHIQL_ASSETS, name) ? graphiqlAssetPath(name as GraphiqlAsset) : undefined;
    if (!path) throw notFound('GraphiQL asset', name);
    res.type(GRAPHIQL_ASSETS[name as GraphiqlAsset].type);
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.sendFile(path);
  }

  private assertEnabled(): void {
    if (!this.config.graphql.graphiql)
      throw new DomainError(ErrorCode.NOT_FOUND, 'GraphiQL is disabled (GRAPHIQL=true turns it on)');
  }
}
