// Node module hooks, registered after tsx's: a TypeScript file outside node_modules is loaded as an ES
// module even in a project whose package.json lacks "type": "module". Models are written with `import`;
// loaded as CommonJS, Node re-enters the module through require(esm) and fails with "Cannot require()
// ES Module ... in a cycle".
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (r.format === 'commonjs' && r.url.startsWith('file:') && /\.[cm]?tsx?$/.test(r.url) && !/\.cts$/.test(r.url) && !r.url.includes('/node_modules/')) {
    return { ...r, format: 'module' };
  }
  return r;
}
