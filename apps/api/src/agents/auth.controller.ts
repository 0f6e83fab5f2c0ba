import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCookieAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Throttle, ThrottlerGuard } from '@nestjs/throttler';
import { ErrorCode } from '@switchboard/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AgentGuard } from '../auth/agent.guard';
import { CurrentPrincipal } from '../auth/access-token.guard';
import type { Principal } from '../auth/access-tokens';
import { AppConfig } from '../config/app-config';
import { ApiErrors, Auth, Err, Tag } from '../http/openapi';
import { AgentAuthService, REFRESH_SESSION_DAYS, type SignedIn } from './agent-auth.service';
import { type Agent, AgentsRepository } from './agents.repository';
import { AgentViewDto, LoginDto, SignedInResponseDto } from './login.dto';

const REFRESH_COOKIE = 'sb_refresh';

const AGENT_EXAMPLE = { id: '7', email: 'grace@example.com', name: 'Grace Hopper', role: 'agent' };

const SIGNED_IN = {
  description: 'Signed in. The body carries the access token; the refresh token is set as a cookie.',
  type: SignedInResponseDto,
  example: {
    accessToken: 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYWdlbnQifQ.c2ln',
    expiresIn: 900,
    agent: AGENT_EXAMPLE,
  },
  headers: {
    'Set-Cookie': {
      description:
        '`sb_refresh=<token>; Path=/api/auth; HttpOnly; SameSite=Strict; Max-Age=1209600` (plus `Secure` when ' +
        '`PUBLIC_URL` is https). Single use: each refresh replaces it.',
      schema: { type: 'string' },
    },
  },
};

type SignedInBody = Omit<SignedIn, 'refreshToken'>;

/** Agents' sign-in: a short-lived access token in the body, the refresh token in an httpOnly cookie. */
@Controller('api/auth')
@ApiTags(Tag.AgentAuth)
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
  @ApiOperation({
    summary: 'Sign in',
    description:
      'Email and password (argon2id hashes). Five attempts a minute per client, then 429. Returns a 15-minute ' +
      'access token and sets the refresh cookie.',
  })
  @ApiBody({ type: LoginDto })
  @ApiOkResponse(SIGNED_IN)
  @ApiErrors(
    Err.validation([{ field: 'email', message: 'email must be an email address' }]),
    Err.of(401, ErrorCode.Unauthorized, 'Wrong email or password'),
    Err.of(429, ErrorCode.TooManyRequests, 'ThrottlerException: Too Many Requests'),
  )
  async login(
    @Body() dto: LoginDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SignedInBody> {
    const client = { ip: request.ip, userAgent: request.headers['user-agent'] };
    return this.answer(reply, await this.auth.login(dto.email, dto.password, client));
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiCookieAuth(Auth.RefreshCookie)
  @ApiOperation({
    summary: 'Renew the access token',
    description:
      'Reads the `sb_refresh` cookie (sent by the browser; no body), rotates it and returns a new access token. ' +
      'On 401 the cookie is cleared.',
  })
  @ApiOkResponse(SIGNED_IN)
  @ApiErrors(Err.of(401, ErrorCode.Unauthorized, 'Your session has ended: sign in again'))
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
  @ApiCookieAuth(Auth.RefreshCookie)
  @ApiOperation({
    summary: 'Sign out',
    description:
      'Ends the session of the `sb_refresh` cookie and clears it. Always 204, with or without a cookie.',
  })
  @ApiNoContentResponse({ description: 'Signed out; `Set-Cookie` clears `sb_refresh`.' })
  async logout(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.auth.logout(request.cookies[REFRESH_COOKIE]);
    this.clearCookie(reply);
  }

  @Get('me')
  @UseGuards(AgentGuard)
  @ApiBearerAuth(Auth.Agent)
  @ApiOperation({ summary: 'The signed-in agent' })
  @ApiOkResponse({ description: 'The agent.', type: AgentViewDto, example: AGENT_EXAMPLE })
  @ApiErrors(Err.agentOnly())
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
