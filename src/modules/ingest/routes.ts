import type { FastifyInstance } from 'fastify';
import type { JobEngine } from '../../platform/jobs.js';

export async function ingestRoutes(_app: FastifyInstance, _opts: { jobs: JobEngine }) {}
