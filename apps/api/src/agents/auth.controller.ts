import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { Throttle, ThrottlerGuard } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AgentGuard } from '../auth/agent.guard';
import { CurrentPrincipal } from '../auth/access-token.guard';
import type { Principal } from '../auth/access-tokens';
import { AppConfig } from '../config/app-config';
import { AgentAuthService, REFRESH_SESSION_DAYS, type SignedIn } from './agent-auth.service';
import { type Agent, AgentsRepository } from './agents.repository';
import { LoginDto } from './login.dto';

const REFRESH_COOKIE = 'sb_refresh';

type SignedInBody = Omit<SignedIn, 'refreshToken'>;

/** Agents' sign-in: a short-lived access token in the body, the refresh token in an httpOnly cookie. */
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AgentAuthService,
    private readonly agents: AgentsRepository,
    private readonly config: AppConfig,
  ) {}

  /** Five tries a minute per address: enough for typos, too few for guessing. */
  @Post('login')
  @HttpCode(200)
  @UseGuards(ThrottlerGuard)
  @Throttle({ default: { limit: 5, ttl: 60_000 } })
  async login(@Body() dto: LoginDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<SignedInBody> {
    return this.answer(reply, await this.auth.login(dto.email, dto.password));
  }

  @Post('refresh')
  @HttpCode(200)
  async refresh(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SignedInBody> {
    try {
      return this.answer(reply, await this.auth.refresh(request.cookies[REFRESH_COOKIE]));
    } catch (error) {
      this.clearCookie(reply);
      throw error;
    }
  }

  @Post('logout')
  @HttpCode(204)
  async logout(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.auth.logout(request.cookies[REFRESH_COOKIE]);
    this.clearCookie(reply);
  }

  @Get('me')
  @UseGuards(AgentGuard)
  async me(@CurrentPrincipal() principal: Principal): Promise<Agent | undefined> {
    return principal.role === 'customer' ? undefined : this.agents.byId(principal.agentId);
  }

  private answer(reply: FastifyReply, { refreshToken, ...body }: SignedIn): SignedInBody {
    void reply.setCookie(REFRESH_COOKIE, refreshToken, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.publicUrl.startsWith('https://'),
      path: '/api/auth',
      maxAge: REFRESH_SESSION_DAYS * 86_400,
    });
    return body;
  }

  private clearCookie(reply: FastifyReply): void {
    void reply.clearCookie(REFRESH_COOKIE, { path: '/api/auth' });
  }
}
