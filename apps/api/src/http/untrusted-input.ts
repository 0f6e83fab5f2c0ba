import { HttpStatus } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ErrorCode, type FieldError } from '@switchboard/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isStorableText } from '../database/storable-text';
import { ApiException } from './api-exception';

/** Names no client has a reason to send, and the ones that poison prototypes in code that merges objects. */
const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);
/** Our deepest body is three levels (an order's items); Vonage's custom events get room to spare. */
const MAX_DEPTH = 32;

/** What a route can say about the input it takes (`RouteConfig`). */
export interface UntrustedInputConfig {
  /**
   * Text PostgreSQL cannot store (NUL, lone surrogates) is kept with U+FFFD in its place by the route
   * instead of refused: in every parameter (`true`), or in these body fields.
   */
  keepsText?: true | string[];
}

/**
 * A message body that is kept as the person typed it, like a message over the socket: text PostgreSQL
 * cannot store is replaced (`storableText`), not refused.
 */
export const KeepsText = (...fields: string[]) =>
  RouteConfig({ keepsText: fields } satisfies UntrustedInputConfig);

/**
 * Refuses, before any guard, pipe or handler sees the request, what no honest client sends and what
 * would otherwise reach code that cannot take it: a `__proto__`, `constructor` or `prototype` key at any
 * depth, a body that is not an object or is nested deeper than any of ours, a query parameter given
 * twice, and NUL or lone surrogates (which PostgreSQL cannot store) in path parameters, query and body.
 * A 400 naming the field, like any validation error.
 */
export function refuseUntrustedInput(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', async (request: FastifyRequest) => {
    const keepsText = (request.routeOptions.config as UntrustedInputConfig | undefined)?.keepsText;
    const keepsAllText = keepsText === true;
    const errors: FieldError[] = [];
    for (const [name, value] of Object.entries((request.params ?? {}) as Record<string, unknown>)) {
      if (!keepsAllText && typeof value === 'string' && !isStorableText(value)) errors.push(unstorable(name));
    }
    for (const [name, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
      if (RESERVED_NAMES.has(name)) errors.push(reserved(name));
      else if (Array.isArray(value))
        errors.push({ field: name, message: `${name} must be a single text value` });
      else if (
        !keepsAllText &&
        (!isStorableText(name) || (typeof value === 'string' && !isStorableText(value)))
      )
        errors.push(unstorable(name));
    }
    const { body } = request;
    if (body !== undefined) {
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        errors.push({ field: 'body', message: 'the body must be a JSON object' });
      } else {
        errors.push(...bodyProblems(body, keepsAllText ? undefined : new Set(keepsText ?? [])));
      }
    }
    if (errors.length > 0) {
      const names = [...new Set(errors.map((error) => error.field))].join(', ');
      throw new ApiException(HttpStatus.BAD_REQUEST, ErrorCode.ValidationFailed, `Invalid ${names}`, errors);
    }
  });
}

/** Walks the body without recursion (a hostile body could be deep): reserved names, depth, text. */
function bodyProblems(body: object, keptFields: Set<string> | undefined): FieldError[] {
  const errors: FieldError[] = [];
  const pending: { value: object; path: string; depth: number }[] = [{ value: body, path: '', depth: 1 }];
  while (pending.length > 0 && errors.length < 20) {
    const { value, path, depth } = pending.pop()!;
    for (const [key, inner] of Object.entries(value)) {
      const field = path ? `${path}.${key}` : key;
      if (RESERVED_NAMES.has(key)) {
        errors.push(reserved(field));
        continue;
      }
      const checkText = keptFields !== undefined && !keptFields.has(field);
      if (checkText && (!isStorableText(key) || (typeof inner === 'string' && !isStorableText(inner)))) {
        errors.push(unstorable(field));
      } else if (typeof inner === 'object' && inner !== null) {
        if (depth >= MAX_DEPTH) errors.push({ field, message: `${field} is nested too deeply` });
        else pending.push({ value: inner as object, path: field, depth: depth + 1 });
      }
    }
  }
  return errors;
}

function reserved(field: string): FieldError {
  return { field, message: `${field.split('.').at(-1)} is not an allowed name` };
}

function unstorable(field: string): FieldError {
  return { field, message: `${field} must not contain NUL characters or unpaired surrogates` };
}
