import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, ErrorCode, Public } from '@kcloud/common';
import { WEB_ASSETS, type WebAsset, webRoot } from './web-assets';

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

  // Two fixed routes rather than `web/:name`: nothing but the built files can be asked for, and the route table
  // (OpenAPI, the access suites) lists concrete paths.
  @Get('web/app.js')
  script(@Res() res: Response): void {
    this.send('app.js', res);
  }

  @Get('web/styles.css')
  styles(@Res() res: Response): void {
    this.send('styles.css', res);
  }

  private send(name: WebAsset, res: Response): void {
    const root = webRoot();
    if (!root)
      throw new DomainError(
        ErrorCode.NOT_FOUND,
        'The fleet page is not built in this tree (npm run build builds it)',
      );
    res.type(WEB_ASSETS[name]);
    // Asset names carry no hash: revalidate each time (ETag), so a new build is never hidden behind a cached one.
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(name, { root });
  }
}
