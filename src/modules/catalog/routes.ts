import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../platform/clock.js';

export async function catalogRoutes(_app: FastifyInstance, _opts: { db: Db; clock: Clock }) {}
