import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { GATEWAY_METADATA, MESSAGE_METADATA } from '@nestjs/websockets/constants';

export type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** The served OpenAPI document. */
export async function openApiDocument(baseUrl: string): Promise<OpenAPIObject> {
  const response = await fetch(`${baseUrl}/api/docs-json`);
  if (response.status !== 200) throw new Error(`GET /api/docs-json answered ${response.status}`);
  return (await response.json()) as OpenAPIObject;
}

/** Every operation of the document, as `METHOD /path/{param}`. */
export function operations(document: OpenAPIObject): [string, Operation][] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const operation = item[method];
      return operation ? [[`${method.toUpperCase()} ${path}`, operation] as [string, Operation]] : [];
    }),
  );
}

/** The routes Nest mounted, from the controllers' own metadata: what a new route would add. */
export function mountedRoutes(app: NestFastifyApplication): string[] {
  const routes = new Set<string>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      if (!metatype) continue;
      const bases = [Reflect.getMetadata(PATH_METADATA, metatype) as string | string[]].flat();
      for (const handler of methodsOf(metatype)) {
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (paths === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        for (const base of bases) {
          for (const path of [paths].flat()) {
            const full = `/${[base, path].filter(Boolean).join('/')}`
              .replace(/\/+/g, '/')
              .replace(/(.)\/$/, '$1')
              .replace(/:(\w+)/g, '{$1}');
            routes.add(`${method} ${full}`);
          }
        }
      }
    }
  }
  return [...routes];
}

/** The client → server events of every socket.io gateway (`@SubscribeMessage`). */
export function socketEvents(app: NestFastifyApplication): string[] {
  const events = new Set<string>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.providers.values()) {
      if (typeof metatype !== 'function' || !Reflect.getMetadata(GATEWAY_METADATA, metatype)) continue;
      for (const handler of methodsOf(metatype)) {
        const event = Reflect.getMetadata(MESSAGE_METADATA, handler) as string | undefined;
        if (event !== undefined) events.add(event);
      }
    }
  }
  return [...events];
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
function methodsOf(metatype: Function): ((...args: unknown[]) => unknown)[] {
  const prototype = metatype.prototype as Record<string, unknown>;
  return Object.getOwnPropertyNames(prototype)
    .filter((name) => name !== 'constructor')
    .map((name) => Object.getOwnPropertyDescriptor(prototype, name)?.value as unknown)
    .filter((value): value is (...args: unknown[]) => unknown => typeof value === 'function');
}
