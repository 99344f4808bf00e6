import { Module } from '@nestjs/common';
import { WebController } from './web.controller';

/** The fleet page, a static GraphQL client of this API (source in apps/web, built into dist/web). */
@Module({ controllers: [WebController] })
export class WebModule {}
