import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { SiteController } from './site.controller';

@Module({ imports: [AgentsModule], controllers: [SiteController] })
export class SiteModule {}
