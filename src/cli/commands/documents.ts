// `sharpline documents ingest <url|file|folder>...`: fetch or read news (RSS/Atom feeds, HTML
// pages, text and Markdown files), link, score and store them; `documents feeds` ingests the
// configured feed list (DOCUMENT_FEEDS, what the 2-hourly schedule runs); `documents reindex`
// refits the semantic-search model on every current document. Exit 2 when any input was refused.
import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { DocumentInputError } from '../../modules/documents/extract.js';
import { createDocumentsService, type IngestResult } from '../../modules/documents/service.js';
import { fitSemanticIndex } from '../../modules/documents/semantic.js';
import { openRuntime } from '../../runtime.js';

function print(results: IngestResult[], json: boolean): void {
  for (const r of results) {
    if (json) process.stdout.write(`${JSON.stringify(r)}\n`);
    else if (r.error) process.stderr.write(`refused ${r.source}: ${r.error}\n`);
    else process.stdout.write(`${r.source}: ${r.inserted} new, ${r.updated} updated, ${r.unchanged} unchanged, ${r.skipped} skipped\n`);
  }
}

export function registerDocumentsCommand(program: Command): void {
  const documents = program.command('documents').description('News documents: ingestion, semantic index');
  documents
    .command('feeds')
    .description('Ingest every DOCUMENT_FEEDS URL now (what the documents.ingest schedule runs)')
    .option('--json', 'one JSON line per feed')
    .action(async (options: { json?: boolean }) => {
      const config = loadConfig();
      if (config.documents.feeds.length === 0) {
        process.stderr.write('error: DOCUMENT_FEEDS is not set\n');
        process.exitCode = 2;
        return;
      }
      const runtime = await openRuntime(config);
      try {
        const service = createDocumentsService({ db: runtime.database.db, clock: runtime.clock });
        const results: IngestResult[] = [];
        for (const url of config.documents.feeds) results.push(...(await service.ingestTarget(url)));
        print(results, options.json === true);
        if (results.some((r) => r.error)) process.exitCode = 2;
      } finally {
        await runtime.close();
      }
    });
  documents
    .command('reindex')
    .description('Refit the semantic-search (LSA) model on every current document and store their vectors')
    .option('--json', 'print the summary as one JSON line')
    .action(async (options: { json?: boolean }) => {
      const runtime = await openRuntime(loadConfig());
      try {
        const r = await fitSemanticIndex(runtime.database.db);
        if (options.json) process.stdout.write(`${JSON.stringify(r)}\n`);
        else if (!r) process.stdout.write('too few documents for a semantic model; semantic search answers with full-text search\n');
        else process.stdout.write(`semantic model ${r.model_id}: ${r.documents} documents, ${r.terms} terms, ${r.dims} dimensions, fitted in ${r.fit_ms} ms\n`);
      } finally {
        await runtime.close();
      }
    });
  documents
    .command('ingest')
    .description('Ingest feeds, pages, text/Markdown files or folders of them; re-ingesting the same content changes nothing')
    .argument('<targets...>', 'http(s) URLs, files or folders')
    .option('--json', 'one JSON line per input')
    .action(async (targets: string[], options: { json?: boolean }) => {
      const runtime = await openRuntime(loadConfig());
      try {
        const service = createDocumentsService({ db: runtime.database.db, clock: runtime.clock });
        const results: IngestResult[] = [];
        for (const target of targets) {
          try {
            results.push(...(await service.ingestTarget(target)));
          } catch (err) {
            if (!(err instanceof DocumentInputError)) throw err;
            results.push({ source: target, inserted: 0, updated: 0, unchanged: 0, skipped: 0, document_ids: [], error: `${err.reason}: ${err.message}` });
          }
        }
        print(results, options.json === true);
        if (results.some((r) => r.error)) process.exitCode = 2;
      } finally {
        await runtime.close();
      }
    });
}
