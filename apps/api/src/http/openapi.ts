import { applyDecorators } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiSchema,
  DocumentBuilder,
  type OpenAPIObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { ErrorCode, type ErrorResponse, type FieldError } from '@switchboard/contracts';

type OperationObject = NonNullable<OpenAPIObject['paths'][string]['get']>;

/** Where the document is served: the UI, and the JSON it is built from (YAML at `/api/docs-yaml`). */
export const OPENAPI_UI_PATH = 'api/docs';
export const OPENAPI_JSON_PATH = 'api/docs-json';
export const OPENAPI_YAML_PATH = 'api/docs-yaml';

/** The security schemes' names, as `@ApiBearerAuth(...)` / `@ApiCookieAuth(...)` take them. */
export const Auth = {
  /** The shop backend: `Authorization: Bearer <API_TOKEN>`. */
  Integration: 'integrationToken',
  /** A customer's chat session (`POST /api/chat/session`) or an agent's access token. */
  ChatSession: 'chatSession',
  /** An agent's access token (`POST /api/auth/login`). */
  Agent: 'agentToken',
  /** The agent's httpOnly refresh cookie, sent only to `/api/auth`. */
  RefreshCookie: 'refreshCookie',
  /** Prometheus: `Authorization: Bearer <METRICS_TOKEN>` when that is set. */
  Metrics: 'metricsToken',
} as const;

/** The tags, in the order the UI lists them. */
export const Tag = {
  Integration: 'Shop integration',
  Chat: 'Customer chat',
  AgentAuth: 'Agent sign-in',
  Tickets: 'Agent console',
  Webhooks: 'Vonage webhooks',
  Health: 'Health',
  Metrics: 'Metrics',
  Site: 'Site',
  Sandbox: 'Sandbox only',
} as const;

@ApiSchema({ name: 'FieldError' })
export class FieldErrorDto implements FieldError {
  @ApiProperty({ description: 'The field at fault, as a path into the body.', example: 'items.0.quantity' })
  field: string;

  @ApiProperty({ description: 'What is wrong with it.', example: 'quantity must be at least 1' })
  message: string;
}

/** Body of every 4xx/5xx JSON answer. */
@ApiSchema({ name: 'ErrorResponse', description: 'Body of every 4xx/5xx JSON answer.' })
export class ErrorResponseDto implements ErrorResponse {
  @ApiProperty({ description: 'The HTTP status again.', example: 400 })
  statusCode: number;

  @ApiProperty({
    description:
      'A stable, machine-readable code: switch on this, never on `message`. ' +
      `One of ${Object.values(ErrorCode)
        .map((code) => `\`${code}\``)
        .join(', ')}, or \`http/<status>\` for a status without its own code.`,
    example: ErrorCode.ValidationFailed,
  })
  code: string;

  @ApiProperty({ description: 'What went wrong, for people.', example: 'Invalid items.0.quantity' })
  message: string;

  @ApiPropertyOptional({ description: 'Validation errors: one entry per problem.', type: [FieldErrorDto] })
  errors?: FieldError[];

  @ApiPropertyOptional({
    description: 'Only on 5xx: quote it to the operator, who finds the stack trace in the logs under it.',
    example: '5f0c6a3e-2b1d-4c8e-9f4a-7d2e1b0c9a88',
  })
  errorId?: string;
}

/** One documented error answer: its body is the example. */
export interface ErrorExample extends ErrorResponse {
  /** A one-line name for the example in the UI; defaults to the code. */
  summary?: string;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable entity',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service unavailable',
};

/** Builders for the error answers routes share; each returns the exact body the API sends. */
export const Err = {
  validation: (fields: FieldError[], summary?: string): ErrorExample => ({
    statusCode: 400,
    code: ErrorCode.ValidationFailed,
    message: `Invalid ${[...new Set(fields.map((field) => field.field))].join(', ')}`,
    errors: fields,
    ...(summary ? { summary } : {}),
  }),
  malformedJson: (): ErrorExample => ({
    statusCode: 400,
    code: ErrorCode.MalformedBody,
    message: 'Body is not valid JSON',
  }),
  of: (statusCode: number, code: string, message: string, summary?: string): ErrorExample => ({
    statusCode,
    code,
    message,
    ...(summary ? { summary } : {}),
  }),
  /** An agent's or a customer's access token missing or stale. */
  accessToken: (): ErrorExample[] => [
    Err.of(401, ErrorCode.Unauthorized, 'Send an access token: Authorization: Bearer <token>', 'No token'),
    Err.of(401, ErrorCode.Unauthorized, 'The access token is not valid or has expired', 'Expired token'),
  ],
  /** Agent-only routes: a customer's chat token is refused. */
  agentOnly: (): ErrorExample[] => [
    ...Err.accessToken(),
    Err.of(403, ErrorCode.Forbidden, 'Only agents can do this', "A customer's token"),
  ],
  adminOnly: (): ErrorExample[] => [
    ...Err.accessToken(),
    Err.of(403, ErrorCode.Forbidden, 'Only admins can do this', "An agent's or a customer's token"),
  ],
  integrationToken: (): ErrorExample[] => [
    Err.of(
      401,
      ErrorCode.Unauthorized,
      'Send the integration token: Authorization: Bearer <API_TOKEN>',
      'No token',
    ),
    Err.of(401, ErrorCode.Unauthorized, 'The integration token is not valid', 'Wrong token'),
  ],
  /** Unsupported content type (Fastify's parser), for routes with a body. */
  mediaType: (): ErrorExample =>
    Err.of(
      415,
      ErrorCode.UnsupportedMediaType,
      'Unsupported content type: send application/json or application/x-www-form-urlencoded',
    ),
};

/**
 * Documents the error answers of a route, grouped by status: one response per status with the
 * ErrorResponse schema and each body as a named example.
 */
export function ApiErrors(...examples: (ErrorExample | ErrorExample[])[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ErrorExample[]>();
  for (const example of examples.flat()) {
    byStatus.set(example.statusCode, [...(byStatus.get(example.statusCode) ?? []), example]);
  }
  return applyDecorators(
    ...[...byStatus.entries()].map(([status, list]) => {
      const codes = [...new Set(list.map((example) => `\`${example.code}\``))].join(', ');
      const description = `${STATUS_TEXT[status] ?? `HTTP ${status}`}: ${codes}`;
      const named = Object.fromEntries(
        list.map(({ summary, ...body }, index) => [
          exampleKey(body.code, index, list),
          { summary: summary ?? body.message, value: body },
        ]),
      );
      return ApiResponse({ status, description, type: ErrorResponseDto, examples: named });
    }),
  );
}

function exampleKey(code: string, index: number, list: ErrorExample[]): string {
  const key = code.replace(/[^A-Za-z0-9]+/g, '_');
  return list.filter((example) => example.code === code).length > 1 ? `${key}_${index + 1}` : key;
}

const REFUSED_INPUT: ErrorResponse & { errors: FieldError[] } = {
  statusCode: 400,
  code: ErrorCode.ValidationFailed,
  message: 'Invalid q',
  errors: [{ field: 'q', message: 'q must not contain NUL characters or unpaired surrogates' }],
};

const INTERNAL_ERROR: ErrorResponse = {
  statusCode: 500,
  code: ErrorCode.Internal,
  message: 'Something went wrong on our side',
  errorId: '5f0c6a3e-2b1d-4c8e-9f4a-7d2e1b0c9a88',
};

const DESCRIPTION = `
Switchboard's HTTP API: the shop integration, the customer chat, the agent console, Vonage's SMS
webhooks, health, and the sandbox tools. The integrator and operator guide (shop set-up, the Vonage and
Brevo dashboards, curl examples) is \`docs/api.md\` in the repository.

**Authentication.** Each group names its scheme:

- *integrationToken* — the shop's backend: \`Authorization: Bearer <API_TOKEN>\`.
- *chatSession* — a customer's 15-minute chat session token from \`POST /api/chat/session\` (an agent's
  access token works on the same routes).
- *agentToken* — an agent's 15-minute access token from \`POST /api/auth/login\`; renew it with
  \`POST /api/auth/refresh\`, which reads the httpOnly \`sb_refresh\` cookie (*refreshCookie*).
- Vonage webhooks are not bearer-authenticated: they are signed (\`sig\`, \`timestamp\`, \`nonce\`, checked
  with \`VONAGE_SIGNATURE_SECRET\`) or, on unsigned accounts, must carry our \`api-key\`; with
  \`WEBHOOK_PATH_TOKEN\` set they are served only under \`/<WEBHOOK_PATH_TOKEN>\`.

**Errors.** Every 4xx/5xx answer is an \`ErrorResponse\`: \`statusCode\`, a stable \`code\` to switch on,
a \`message\` for people, \`errors[]\` naming each bad field on validation errors, and an \`errorId\` on
5xx to quote to the operator. Bodies are JSON (\`application/json\`); unknown fields are refused (400).
A body that is not JSON or form data is a 415, one over 1 MiB a 413. Before authentication, any route
refuses (400, naming the field) a \`__proto__\`, \`constructor\` or \`prototype\` key at any depth, a query
parameter given twice, a body that is not an object or is nested more than 32 deep, and NUL or unpaired
surrogates in a path parameter, query parameter or field; Vonage's webhooks and chat messages keep such
text instead, with U+FFFD in its place.

**Money.** Requests give \`unitPrice\` as a decimal in the currency's major unit (\`4.99\`); answers give
every amount as an integer in minor units (\`499\` cents).
`.trim();

/** The document's fixed part: info, security schemes, tags. Paths come from the controllers. */
function documentConfig(): Omit<OpenAPIObject, 'paths'> {
  return new DocumentBuilder()
    .setTitle('Switchboard API')
    .setVersion('0.1.0')
    .setDescription(DESCRIPTION)
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'The `API_TOKEN` of this installation.' },
      Auth.Integration,
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: '`accessToken` from `POST /api/chat/session` (or an agent token). Lasts 15 minutes.',
      },
      Auth.ChatSession,
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: '`accessToken` from `POST /api/auth/login` or `/refresh`. Lasts 15 minutes.',
      },
      Auth.Agent,
    )
    .addCookieAuth(
      'sb_refresh',
      {
        type: 'apiKey',
        in: 'cookie',
        description: 'httpOnly refresh cookie set by login and refresh (path `/api/auth`, 14 days).',
      },
      Auth.RefreshCookie,
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        description:
          '`METRICS_TOKEN`, when set; without it `/metrics` is open outside production and not served in production.',
      },
      Auth.Metrics,
    )
    .addTag(Tag.Integration, "The shop's backend: customers and orders. Bearer `API_TOKEN`.")
    .addTag(
      Tag.Chat,
      'The order chat page: trade the emailed link for a session, then read and post messages. ' +
        'Live updates go over socket.io on the same origin.',
    )
    .addTag(Tag.AgentAuth, 'Agents sign in with email and password; refresh with the httpOnly cookie.')
    .addTag(Tag.Tickets, "The agent console's API: tickets, replies, assignment. Agents only.")
    .addTag(
      Tag.Webhooks,
      "Vonage's SMS API webhooks, in the account's webhook format: GET query, POST form or POST JSON. " +
        'Answer 204 once stored; a retried delivery changes nothing. Signed webhooks are checked ' +
        '(signature, ±5 minutes, a nonce used once) and refused with 401 otherwise.',
    )
    .addTag(Tag.Health, 'For load balancers, orchestrators and monitors. No authentication.')
    .addTag(Tag.Metrics, 'Prometheus metrics.')
    .addTag(Tag.Site, 'What the public pages show.')
    .addTag(
      Tag.Sandbox,
      'Stand-ins for the providers that are not configured: the phone simulator and its webhook signer (no ' +
        "VONAGE_API_KEY), the mailbox and the demo shop's token (no SENDINBLUE_API_KEY). In production they exist " +
        'only with SANDBOX=true, for signed-in agents, and the integration token is never served.',
    )
    .build();
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * What the document says about routes whose controllers carry no OpenAPI decorators of their own (the
 * operations probes and metrics). Applied only where the controller said nothing: tags, summary,
 * description, security, and responses that have no content.
 */
const SUPPLEMENTS: Record<string, Partial<OperationObject>> = {
  'get /metrics': {
    tags: [Tag.Metrics],
    summary: 'Prometheus metrics',
    description:
      'Prometheus text exposition format. With `METRICS_TOKEN` set, send it as `Authorization: Bearer <METRICS_TOKEN>`. ' +
      'In production without `METRICS_TOKEN` this route is not served (404): scrape `METRICS_PORT` instead.',
    security: [{ [Auth.Metrics]: [] }],
    responses: {
      '200': {
        description: 'The metrics.',
        content: {
          'text/plain': {
            schema: { type: 'string' },
            example:
              '# HELP http_request_duration_seconds HTTP request duration\n' +
              '# TYPE http_request_duration_seconds histogram\n' +
              'http_request_duration_seconds_bucket{le="0.005",method="POST",route="/webhooks/inbound-sms"} 42\n',
          },
        },
      },
      '401': {
        description: 'Unauthorized: `auth/unauthorized` (METRICS_TOKEN set, missing or wrong).',
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/ErrorResponse' },
            example: {
              statusCode: 401,
              code: ErrorCode.Unauthorized,
              message: 'Send METRICS_TOKEN as a bearer token',
            },
          },
        },
      },
    },
  },
};

function supplement(operation: OperationObject, extra: Partial<OperationObject> | undefined): void {
  if (!extra) return;
  if (!operation.tags?.length && extra.tags) operation.tags = extra.tags;
  operation.summary ??= extra.summary;
  operation.description ??= extra.description;
  if (!operation.security && extra.security) operation.security = extra.security;
  for (const [status, response] of Object.entries(extra.responses ?? {})) {
    const existing = operation.responses[status];
    if (!response || '$ref' in response) continue;
    if (!existing || (!('$ref' in existing) && !existing.content)) {
      operation.responses[status] = response;
      continue;
    }
    if ('$ref' in existing) continue;
    // The controller gave a schema but no example: add ours.
    for (const [type, media] of Object.entries(response.content ?? {})) {
      const current = existing.content?.[type];
      if (current && current.example === undefined && current.examples === undefined)
        current.example = media.example;
    }
  }
}

/**
 * The document for the routes this app has mounted (sandbox routes only in sandbox mode), with what
 * the decorators cannot say: the optional `/<WEBHOOK_PATH_TOKEN>` segment, and the 400 and 500 every route can give.
 */
export function createOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(app, documentConfig(), {
    extraModels: [ErrorResponseDto, FieldErrorDto],
    // Untagged routes stay untagged (and the test says so) rather than getting a tag per controller.
    autoTagControllers: false,
    // `Customers_create`; an alias path of the same handler gets `_1`, `_2` …
    operationIdFactory: (controller, method) =>
      `${controller.replace(/Controller$/, '')}_${method.replace(/\[0\]$/, '').replace(/\[(\d+)\]$/, '_$1')}`,
  });
  document.components = {
    ...document.components,
    responses: {
      ...document.components?.responses,
      RefusedInput: {
        description:
          'Bad request (`request/validation_failed`): a reserved key, a repeated query parameter, a body that ' +
          'is not an object or too deep, or text that cannot be stored (see the introduction).',
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/ErrorResponse' },
            example: REFUSED_INPUT,
          },
        },
      },
      InternalError: {
        description: 'Internal error (`server/internal`): quote `errorId` to the operator.',
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/ErrorResponse' },
            example: INTERNAL_ERROR,
          },
        },
      },
    },
  };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      supplement(operation, SUPPLEMENTS[`${method} ${path}`]);
      if (
        path.endsWith('/{token}') &&
        !operation.parameters?.some((p) => 'name' in p && p.name === 'token')
      ) {
        operation.parameters = [
          {
            name: 'token',
            in: 'path',
            required: true,
            description:
              'The `WEBHOOK_PATH_TOKEN` of this installation. With it set, the webhook answers only at this ' +
              'path (any other is a 404); without it, only at the path without the segment.',
            schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{16,128}$', example: 'k3v9-Qm2x_Lp8Rt4Wz6Y' },
          },
          ...(operation.parameters ?? []),
        ];
      }
      operation.responses['400'] ??= { $ref: '#/components/responses/RefusedInput' };
      operation.responses['500'] ??= { $ref: '#/components/responses/InternalError' };
    }
  }
  return document;
}

/**
 * Serves the UI at `/api/docs` and the document at `/api/docs-json` (and `/api/docs-yaml`), built on
 * the first request. Call before the app listens (it registers routes and swagger-ui's static files).
 */
export function setupOpenApi(app: NestFastifyApplication): void {
  SwaggerModule.setup(OPENAPI_UI_PATH, app, () => createOpenApiDocument(app), {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    yamlDocumentUrl: OPENAPI_YAML_PATH,
    customSiteTitle: 'Switchboard API',
    swaggerOptions: {
      persistAuthorization: true,
      displayRequestDuration: true,
      tryItOutEnabled: false,
    },
  });
}
