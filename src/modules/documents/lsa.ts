// Latent semantic analysis (Deerwester et al. 1990), the corpus-trained "embedding" behind
// semantic search (decision 0021): TF-IDF over stemmed words (sublinear tf, smoothed idf,
// rows of unit length), a truncated SVD by randomized range finding (Halko, Martinsson &
// Tropp 2011, algorithm 4.4 with q power iterations), and fold-in: any text — a new document
// or a query — maps to the concept space as its TF-IDF row times the term→concept matrix
// V_k, normalised to unit length, so cosine similarity is a dot product. Training documents
// are represented the same way (X V_k = U_k Σ_k), so a folded-in document and a trained one
// are comparable. Pure and deterministic: the random test matrix comes from a fixed seed.
import stem from 'wink-porter2-stemmer';
import { toSearchName } from '../catalog/search-name.js';
import { seededRandom } from '../../models/random.js';

const STOP = new Set(
  'a about above after again against all am an and any are as at be because been before being below between both but by can could did do does doing down during each few for from further had has have having he her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours out over own same she should so some such than that the their theirs them themselves then there these they this those through to too under until up very was we were what when where which while who whom why will with would you your yours yourself said says also one two three first last new year years week weeks day days'.split(
    ' ',
  ),
);

/** Stemmed content words of a text (accents folded, stop words and numbers dropped). */
export function lsaTerms(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/[\p{L}][\p{L}'’]*/gu)) {
    const w = toSearchName(m[0].replace(/['’]s$/i, '')).replace(/[^a-z]/g, '');
    if (w.length < 2 || STOP.has(w)) continue;
    out.push(stem(w));
  }
  return out;
}

export interface LsaModel {
  terms: string[];
  idf: Float32Array;
  /** terms × dims, row-major. */
  projection: Float32Array;
  dims: number;
}

export interface LsaFitOptions {
  dims?: number;
  /** Terms kept: the most frequent by document frequency. */
  maxTerms?: number;
  /** A term must appear in at least this many documents (1 for tiny corpora). */
  minDf?: number;
  powerIterations?: number;
  seed?: number;
}

type SparseRow = { idx: Int32Array; val: Float64Array };

function tfidfRow(terms: string[], index: Map<string, number>, idf: ArrayLike<number>): SparseRow {
  const counts = new Map<number, number>();
  for (const t of terms) {
    const j = index.get(t);
    if (j !== undefined) counts.set(j, (counts.get(j) ?? 0) + 1);
  }
  const idx = Int32Array.from(counts.keys());
  const val = new Float64Array(idx.length);
  let norm = 0;
  idx.forEach((j, k) => {
    const w = (1 + Math.log(counts.get(j)!)) * idf[j]!;
    val[k] = w;
    norm += w * w;
  });
  norm = Math.sqrt(norm);
  if (norm > 0) for (let k = 0; k < val.length; k++) val[k]! /= norm;
  return { idx, val };
}

/** Orthonormalises the columns of an n × l row-major matrix in place (modified Gram-Schmidt); returns the kept columns. */
function orthonormalise(a: Float64Array, n: number, l: number): number {
  for (let c = 0; c < l; c++) {
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += a[i * l + c]! * a[i * l + p]!;
      for (let i = 0; i < n; i++) a[i * l + c]! -= dot * a[i * l + p]!;
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += a[i * l + c]! ** 2;
    norm = Math.sqrt(norm);
    const inv = norm > 1e-12 ? 1 / norm : 0;
    for (let i = 0; i < n; i++) a[i * l + c]! *= inv;
  }
  return l;
}

/** Eigen-decomposition of a symmetric m × m matrix by cyclic Jacobi: eigenvalues (descending) and eigenvectors as columns. */
export function symmetricEigen(s: Float64Array, m: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(s);
  const v = new Float64Array(m * m);
  for (let i = 0; i < m; i++) v[i * m + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < m; p++) for (let q = p + 1; q < m; q++) off += a[p * m + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = a[p * m + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * m + q]! - a[p * m + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < m; k++) {
          const akp = a[k * m + p]!;
          const akq = a[k * m + q]!;
          a[k * m + p] = c * akp - sn * akq;
          a[k * m + q] = sn * akp + c * akq;
        }
        for (let k = 0; k < m; k++) {
          const apk = a[p * m + k]!;
          const aqk = a[q * m + k]!;
          a[p * m + k] = c * apk - sn * aqk;
          a[q * m + k] = sn * apk + c * aqk;
        }
        for (let k = 0; k < m; k++) {
          const vkp = v[k * m + p]!;
          const vkq = v[k * m + q]!;
          v[k * m + p] = c * vkp - sn * vkq;
          v[k * m + q] = sn * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: m }, (_, i) => i).sort((x, y) => a[y * m + y]! - a[x * m + x]!);
  const values = Float64Array.from(order, (i) => a[i * m + i]!);
  const vectors = new Float64Array(m * m);
  order.forEach((src, dst) => {
    for (let k = 0; k < m; k++) vectors[k * m + dst] = v[k * m + src]!;
  });
  return { values, vectors };
}

/** Fits the model on the texts of a corpus. */
export function fitLsa(texts: string[], opts: LsaFitOptions = {}): LsaModel {
  const docs = texts.map(lsaTerms);
  const n = docs.length;
  const df = new Map<string, number>();
  for (const d of docs) for (const t of new Set(d)) df.set(t, (df.get(t) ?? 0) + 1);
  const minDf = opts.minDf ?? (n >= 1000 ? 2 : 1);
  const terms = [...df]
    .filter(([, c]) => c >= minDf && c < Math.max(2, n * 0.9))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, opts.maxTerms ?? 20_000)
    .map(([t]) => t)
    .sort();
  const index = new Map(terms.map((t, j) => [t, j]));
  const v = terms.length;
  const idf = Float32Array.from(terms, (t) => Math.log((n + 1) / (df.get(t)! + 1)) + 1);
  const rows = docs.map((d) => tfidfRow(d, index, idf));
  const dims = Math.max(1, Math.min(opts.dims ?? 100, n - 1, v - 1));
  if (v === 0 || n < 2) return { terms, idf, projection: new Float32Array(v * dims), dims };
  const l = Math.min(dims + 10, n, v);

  // Y = X Ω, then q rounds of Y = X (Xᵀ Y), orthonormalising in between.
  const random = seededRandom(opts.seed ?? 14);
  const omega = Float64Array.from({ length: v * l }, () => random.normal());
  const xTimes = (b: Float64Array): Float64Array => {
    // (n × v sparse) · (v × l dense) → n × l
    const out = new Float64Array(n * l);
    rows.forEach((r, i) => {
      for (let k = 0; k < r.idx.length; k++) {
        const j = r.idx[k]!;
        const w = r.val[k]!;
        for (let c = 0; c < l; c++) out[i * l + c]! += w * b[j * l + c]!;
      }
    });
    return out;
  };
  const xtTimes = (y: Float64Array): Float64Array => {
    // (v × n) · (n × l) → v × l
    const out = new Float64Array(v * l);
    rows.forEach((r, i) => {
      for (let k = 0; k < r.idx.length; k++) {
        const j = r.idx[k]!;
        const w = r.val[k]!;
        for (let c = 0; c < l; c++) out[j * l + c]! += w * y[i * l + c]!;
      }
    });
    return out;
  };
  let y = xTimes(omega);
  orthonormalise(y, n, l);
  for (let q = 0; q < (opts.powerIterations ?? 2); q++) {
    const z = xtTimes(y);
    orthonormalise(z, v, l);
    y = xTimes(z);
    orthonormalise(y, n, l);
  }
  // Bᵀ = Xᵀ Q (v × l); B Bᵀ = (Bᵀ)ᵀ Bᵀ (l × l) = W Λ Wᵀ; right singular vectors V = Bᵀ W Λ^{-1/2}.
  const bt = xtTimes(y);
  const gram = new Float64Array(l * l);
  for (let j = 0; j < v; j++) {
    for (let a = 0; a < l; a++) {
      const x = bt[j * l + a]!;
      if (x === 0) continue;
      for (let b = a; b < l; b++) gram[a * l + b]! += x * bt[j * l + b]!;
    }
  }
  for (let a = 0; a < l; a++) for (let b = 0; b < a; b++) gram[a * l + b] = gram[b * l + a]!;
  const { values, vectors } = symmetricEigen(gram, l);
  const projection = new Float32Array(v * dims);
  for (let c = 0; c < dims; c++) {
    const sigma = Math.sqrt(Math.max(values[c]!, 0));
    if (sigma < 1e-9) continue;
    for (let j = 0; j < v; j++) {
      let s = 0;
      for (let a = 0; a < l; a++) s += bt[j * l + a]! * vectors[a * l + c]!;
      projection[j * dims + c] = s / sigma;
    }
  }
  return { terms, idf, projection, dims };
}

/** Term index of a model (cached per model object). */
const indexes = new WeakMap<LsaModel, Map<string, number>>();
function indexOf(model: LsaModel): Map<string, number> {
  let ix = indexes.get(model);
  if (!ix) {
    ix = new Map(model.terms.map((t, j) => [t, j]));
    indexes.set(model, ix);
  }
  return ix;
}

/** A text's unit-length concept vector (all zeros when it shares no term with the model). */
export function foldIn(model: LsaModel, text: string): Float32Array {
  const row = tfidfRow(lsaTerms(text), indexOf(model), model.idf);
  const out = new Float64Array(model.dims);
  for (let k = 0; k < row.idx.length; k++) {
    const j = row.idx[k]!;
    const w = row.val[k]!;
    for (let c = 0; c < model.dims; c++) out[c]! += w * model.projection[j * model.dims + c]!;
  }
  let norm = 0;
  for (const x of out) norm += x * x;
  norm = Math.sqrt(norm);
  return Float32Array.from(out, (x) => (norm > 0 ? x / norm : 0));
}

export function dot(a: Float32Array, b: Float32Array, offset = 0): number {
  let s = 0;
  for (let c = 0; c < a.length; c++) s += a[c]! * b[offset + c]!;
  return s;
}
