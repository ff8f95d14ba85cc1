import { Module } from '@nestjs/common';
import { WebPage } from './web-page';

/** The web page at `/` (docs/web.md): static files of this origin, under their own strict CSP. */
@Module({ providers: [WebPage] })
export class WebModule {}
