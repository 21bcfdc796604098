// The catalogue routes as the OpenAPI document describes them: every operation named,
// tagged, and declaring "version" on its 200 response; both seed paths present.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

interface Operation {
  operationId?: string;
  tags?: string[];
  responses: Record<string, { content?: Record<string, { schema: { properties?: Record<string, unknown> } }> }>;
}

describe('catalogue OpenAPI', () => {
  it('documents every catalogue route with a unique operationId, a catalogue tag and a version field', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, Operation>> };
    const catalogue = Object.entries(doc.paths).filter(([path]) => /^\/api\/v1\/(matches|games|teams|players|competitions|leagues|standings)/.test(path) && !/\/news(\/|$)/.test(path));
    // /teams/{id}/news and /players/{id}/news belong to the documents module (tag 'documents').
    for (const [path, methods] of Object.entries(doc.paths).filter(([p]) => /\/news(\/|$)/.test(p))) expect(methods.get?.tags?.[0], path).toBe('documents');
    expect(catalogue.length).toBeGreaterThanOrEqual(40);
    const ids = new Set<string>();
    for (const [path, methods] of catalogue) {
      const op = methods.get!;
      expect(op, path).toBeDefined();
      expect(op.operationId, path).toMatch(/^[a-z][A-Za-z]+$/);
      ids.add(op.operationId!);
      expect(['matches', 'teams', 'players', 'competitions'], path).toContain(op.tags?.[0]);
      const schema = op.responses['200']!.content!['application/json']!.schema;
      expect(Object.keys(schema.properties ?? {}), path).toContain('version');
      expect(Object.keys(op.responses), path).toEqual(expect.arrayContaining(['400', '404']));
    }
    expect(ids.size).toBe(catalogue.length);
    for (const path of ['/api/v1/games/{id}/stats', '/api/v1/matches/{id}/odds', '/api/v1/leagues/{id}/top-scorers', '/api/v1/teams/standings', '/api/v1/players/search', '/api/v1/standings']) {
      expect(doc.paths[path], path).toBeDefined();
    }
  });
});
