// Loads the wasm-bindgen --target web output in Node, calls both functions, checks and writes.
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, inflateSync } from 'node:zlib';
import init, { zlib_compress, one_page_pdf } from './pkg/link_demo.js';

const [font, textFile, out] = process.argv.slice(2);
const wasmBytes = readFileSync(new URL('./pkg/link_demo_bg.wasm', import.meta.url));
const mod = await WebAssembly.compile(wasmBytes);
console.log('imports:', WebAssembly.Module.imports(mod).map(i => `${i.module}.${i.name}`).join(' ') || '(none)');
await init({ module_or_path: wasmBytes });
const fontBytes = readFileSync(font);
const text = readFileSync(textFile, 'utf8');

let t = performance.now();
const zf = zlib_compress(fontBytes, 6);
console.log(`font ${fontBytes.length} -> ${zf.length} bytes in ${(performance.now() - t).toFixed(0)} ms`);
if (Buffer.compare(inflateSync(zf), fontBytes) !== 0) throw new Error('inflate mismatch');
const zt = zlib_compress(new TextEncoder().encode(text), 6);
t = performance.now();
const pdf = one_page_pdf(fontBytes, text);
console.log(`pdf ${pdf.length} bytes in ${(performance.now() - t).toFixed(0)} ms`);
const head = Buffer.from(pdf.slice(0, 5)).toString('latin1');
if (head !== '%PDF-') throw new Error('not a PDF: ' + head);
console.log('PDF starts with', head, 'ends with', JSON.stringify(Buffer.from(pdf.slice(-6)).toString('latin1')));
writeFileSync(`${out}/wasm-font.zz`, zf);
writeFileSync(`${out}/wasm-text.zz`, zt);
writeFileSync(`${out}/wasm.pdf`, pdf);
console.log(`wasm size: raw ${wasmBytes.length}, gzip -9 ${gzipSync(wasmBytes, { level: 9 }).length}, brotli q11 ${brotliCompressSync(wasmBytes).length}`);
console.log('1 passed, 0 failed');
