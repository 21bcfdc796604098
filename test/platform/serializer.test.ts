import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { buildSerializer, forSerialization } from '../../src/platform/serializer.js';

const Team = Type.Object({ id: Type.Integer(), name: Type.String() });
const Body = Type.Object({
  at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  day: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  status: Type.Union([Type.Literal('scheduled'), Type.Literal('final')]),
  score: Type.Union([Type.Integer(), Type.Null()]),
  team: Type.Union([Team, Type.Null()]),
  tags: Type.Union([Type.Array(Type.String()), Type.Null()]),
  either: Type.Union([Type.Object({ a: Type.Integer() }), Type.Object({ b: Type.String() })]),
  mixed: Type.Union([Type.Integer(), Type.Number()]),
});
const serialize = buildSerializer({}, {})({ schema: Body });

describe('response serializer', () => {
  it('writes nullable fields, literals and nested objects as the schema says', () => {
    const out = JSON.parse(
      serialize({
        at: new Date('2026-12-07T15:00:00Z'),
        day: new Date('2026-12-07T00:00:00Z'),
        status: 'final',
        score: 2,
        team: { id: 7, name: 'Arsenal', secret: 'dropped' },
        tags: ['a'],
        either: { b: 'x' },
        mixed: 1.5,
      }),
    );
    expect(out).toEqual({ at: '2026-12-07T15:00:00.000Z', day: '2026-12-07', status: 'final', score: 2, team: { id: 7, name: 'Arsenal' }, tags: ['a'], either: { b: 'x' }, mixed: 1.5 });
    const nulls = JSON.parse(serialize({ at: null, day: null, status: 'scheduled', score: null, team: null, tags: null, either: { a: 1 }, mixed: 3 }));
    expect(nulls).toEqual({ at: null, day: null, status: 'scheduled', score: null, team: null, tags: null, either: { a: 1 }, mixed: 3 });
  });

  it('turns only the unions a type check can decide into type lists, and leaves the route schema alone', () => {
    const before = JSON.stringify(Body);
    const s = forSerialization(Body) as { properties: Record<string, Record<string, unknown>> };
    expect(s.properties.at).toEqual({ type: ['string', 'null'], format: 'date-time' });
    expect(s.properties.status).toEqual({ type: 'string' });
    expect(s.properties.team!.type).toEqual(['object', 'null']);
    expect(s.properties.either!.anyOf).toBeDefined(); // two objects: still a union
    expect(s.properties.mixed!.anyOf).toBeDefined(); // integer beside number would truncate
    expect(JSON.stringify(Body)).toBe(before);
  });
});
