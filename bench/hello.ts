// A bare Fastify hello-world, the floor the HTTP benchmarks compare against. It can also
// send a stored body as it is (PUT /bytes, then GET /bytes): the same bytes a cached
// Sharpline read sends, with nothing else done per request, which is what a body of that
// size costs on this machine (bench/http.ts's "same bytes" row).
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
let stored: Buffer = Buffer.alloc(0);
app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
app.put('/bytes', async (req) => {
  stored = req.body as Buffer;
  return { stored: stored.length };
});
app.get('/bytes', (_req, reply) => {
  reply.header('content-type', 'application/json; charset=utf-8').send(stored);
});
const port = Number(process.argv[2] ?? 0);
await app.listen({ host: '127.0.0.1', port });
process.stdout.write(`listening ${(app.server.address() as { port: number }).port}\n`);
