import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, ErrorCode, notFound, Public } from '@kcloud/common';
import { isWebAsset, WEB_ASSETS, type WebAsset, webRoot } from './web-assets';

/**
 * The fleet page at `/` and its two assets under `/web/`. Public like GraphiQL: the files hold no data, every query the
 * page sends carries the key typed into it. The page loads only same-origin scripts, so helmet's CSP stays as it is.
 */
@Public()
@Controller()
export class WebController {
  @Get()
  page(@Res() res: Response): void {
    this.send('index.html', res);
  }

  @Get('web/:name')
  asset(@Param('name') name: string, @Res() res: Response): void {
    if (!isWebAsset(name) || name === 'index.html') throw notFound('page asset', name);
    this.send(name, res);
  }

  private send(name: WebAsset, res: Response): void {
    const root = webRoot();
    if (!root)
      throw new DomainError(ErrorCode.NOT_FOUND, 'The fleet page is not built in this tree (npm run build builds it)');
    res.type(WEB_ASSETS[name]);
    // Asset names carry no hash: revalidate each time (ETag), so a new build is never hidden behind a cached one.
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(name, { root });
  }
}
